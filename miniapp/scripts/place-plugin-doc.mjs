// After `taro build --plugin weapp`: Taro 4.1.11 copies src/plugin/doc to ./miniprogram/doc (a path that fits
// only its own template's layout). WeChat devtools reads a plugin project's documentation from doc/ beside
// plugin/ and miniprogram/, so move it to dist/plugin/doc and leave nothing behind in miniapp/.
import { existsSync, cpSync, rmSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const stray = join(root, 'miniprogram');
const target = join(root, 'dist', 'plugin', 'doc');
rmSync(target, { recursive: true, force: true });
cpSync(join(root, 'src', 'plugin', 'doc'), target, { recursive: true });
if (existsSync(join(stray, 'doc'))) rmSync(join(stray, 'doc'), { recursive: true, force: true });
if (existsSync(stray) && readdirSync(stray).length === 0) rmSync(stray, { recursive: true });
console.log(`plugin documentation: ${target}`);
