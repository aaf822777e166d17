// prestart: `npm start` serves the citizen H5 build at /h5/; build it once if it is not there yet.
import { existsSync } from 'node:fs';
import { execSync } from 'node:child_process';

if (!existsSync('miniapp/dist/h5/index.html')) {
  if (!existsSync('miniapp/node_modules')) execSync('npm ci --prefix miniapp --no-audit --no-fund', { stdio: 'inherit' });
  process.stdout.write('Building the citizen H5 app (first start only)…\n');
  execSync('npm run build:h5 --prefix miniapp', { stdio: 'inherit' });
}
