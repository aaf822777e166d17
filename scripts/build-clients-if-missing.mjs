// prestart: `npm start` serves the citizen/scanner H5 build at /h5/ and the PC console at /admin/; build
// each once if it is not there yet.
import { existsSync } from 'node:fs';
import { execSync } from 'node:child_process';

const clients = [
  { dir: 'miniapp', built: 'miniapp/dist/h5/index.html', build: 'npm run build:h5 --prefix miniapp', what: 'the citizen and scanner H5 app' },
  { dir: 'admin', built: 'admin/dist/index.html', build: 'npm run build --prefix admin', what: 'the PC console' },
];
for (const c of clients) {
  if (existsSync(c.built)) continue;
  if (!existsSync(`${c.dir}/node_modules`)) execSync(`npm ci --prefix ${c.dir} --no-audit --no-fund`, { stdio: 'inherit' });
  process.stdout.write(`Building ${c.what} (first start only)…\n`);
  execSync(c.build, { stdio: 'inherit' });
}
