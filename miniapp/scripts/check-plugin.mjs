// Checks the output of `npm run build:plugin` (H7; run by .ci/run after the build): plugin.json exposes every
// page of PLUGIN_PAGES (common/src/hostApi.ts), the code-card component and `main`; every page and component it
// names exists with its .js/.json/.wxml/.wxss; every page path the plugin's code links to is a page of the plugin;
// the demo host declares the plugin, uses the component and has its own devtools project; the repository's root
// project.config.json still opens the stand-alone weapp build.
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const miniapp = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(miniapp, 'dist', 'plugin');
const pluginDir = join(out, 'plugin');
const hostDir = join(out, 'miniprogram');
const problems = [];
const fail = (msg) => problems.push(msg);
const readJson = (file) => {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    fail(`${file}: ${e.message}`);
    return {};
  }
};
const hasFiles = (dir, base, exts, what) => {
  for (const ext of exts) if (!existsSync(join(dir, `${base}${ext}`))) fail(`${what}: missing ${base}${ext}`);
};

// The contract's page keys, read from the TypeScript source the server and the plugin share.
const hostApi = readFileSync(join(miniapp, '..', 'common', 'src', 'hostApi.ts'), 'utf8');
const m = /PLUGIN_PAGES\s*=\s*\[([^\]]*)\]/.exec(hostApi);
const pluginPages = m ? [...m[1].matchAll(/'([^']+)'/g)].map((x) => x[1]) : [];
if (pluginPages.length === 0) fail('PLUGIN_PAGES not found in common/src/hostApi.ts');

const manifest = readJson(join(pluginDir, 'plugin.json'));
const pages = manifest.pages ?? {};
const components = manifest.publicComponents ?? {};
for (const key of pluginPages) if (!pages[key]) fail(`plugin.json: page "${key}" (PLUGIN_PAGES) not exposed`);
if (!components['code-card']) fail('plugin.json: public component "code-card" not exposed');
for (const [name, path] of Object.entries(pages)) hasFiles(pluginDir, path, ['.js', '.json', '.wxml', '.wxss'], `page ${name}`);
for (const [name, path] of Object.entries(components)) {
  hasFiles(pluginDir, path, ['.js', '.json', '.wxml'], `component ${name}`);
  if (existsSync(join(pluginDir, `${path}.json`)) && readJson(join(pluginDir, `${path}.json`)).component !== true) {
    fail(`component ${name}: ${path}.json lacks "component": true`);
  }
}
// Shared styles: WeChat applies no app.wxss in a plugin, so each page imports them.
for (const [name, path] of Object.entries(pages)) {
  const wxss = join(pluginDir, `${path}.wxss`);
  if (existsSync(wxss) && !readFileSync(wxss, 'utf8').startsWith('@import')) fail(`page ${name}: ${path}.wxss does not import the shared styles`);
}
if (!manifest.main) fail('plugin.json: no "main"');
else if (!existsSync(join(pluginDir, manifest.main))) fail(`plugin.json: main ${manifest.main} missing`);
else {
  const main = readFileSync(join(pluginDir, manifest.main), 'utf8');
  for (const fn of ['signIn', 'getCodeSummary', 'open']) if (!new RegExp(`\\b${fn}\\b`).test(main)) fail(`main ${manifest.main}: no export ${fn}`);
}

// Every page path in the plugin's code (routes.ts, staffRoutes.ts, literals) must be one of its pages.
const pagePaths = new Set(Object.values(pages));
const jsFiles = (dir) => readdirSync(dir).flatMap((f) => {
  const p = join(dir, f);
  return statSync(p).isDirectory() ? jsFiles(p) : p.endsWith('.js') ? [p] : [];
});
const linked = new Set();
for (const file of jsFiles(pluginDir)) {
  for (const hit of readFileSync(file, 'utf8').matchAll(/["'`]\/(pages\/[a-z0-9/-]+\/index)/g)) linked.add(hit[1]);
}
for (const p of linked) if (!pagePaths.has(p)) fail(`the plugin links to ${p}, which is not a page of plugin.json`);
if (!jsFiles(pluginDir).some((f) => readFileSync(f, 'utf8').includes('plugin-private://'))) {
  fail('no plugin-private:// page root in the plugin build (links would leave the plugin)');
}

// The demo host beside the plugin and the devtools project of both.
const project = readJson(join(out, 'project.config.json'));
if (project.compileType !== 'plugin') fail('dist/plugin/project.config.json: compileType is not "plugin"');
if (project.pluginRoot !== 'plugin/' || project.miniprogramRoot !== 'miniprogram/') fail('dist/plugin/project.config.json: roots are not plugin/ and miniprogram/');
const app = readJson(join(hostDir, 'app.json'));
const declared = Object.entries(app.plugins ?? {});
if (declared.length !== 1) fail('demo host app.json: expected one plugin');
const [pluginName, decl] = declared[0] ?? ['', {}];
if (decl.version !== 'dev' || decl.provider !== project.appid) fail(`demo host app.json: plugin ${pluginName} is not version "dev" of the project's appid ${project.appid}`);
for (const page of app.pages ?? []) hasFiles(hostDir, page, ['.js', '.json', '.wxml'], `host page ${page}`);
const usesCard = (app.pages ?? []).some((page) => Object.values(readJson(join(hostDir, `${page}.json`)).usingComponents ?? {})
  .includes(`plugin://${pluginName}/code-card`));
if (!usesCard) fail(`demo host: no page uses plugin://${pluginName}/code-card`);
const hostJs = (app.pages ?? []).map((page) => readFileSync(join(hostDir, `${page}.js`), 'utf8')).join('\n');
if (!hostJs.includes('requirePlugin')) fail('demo host: main is never required (requirePlugin)');
if (!hostJs.includes('plugin://')) fail('demo host: opens no page by plugin://');
if (!existsSync(join(out, 'doc', 'README.md'))) fail('dist/plugin/doc/README.md (plugin documentation) missing');
if (existsSync(join(miniapp, 'miniprogram'))) fail('miniapp/miniprogram left behind by the build');

// The root project keeps opening the stand-alone weapp build.
const root = readJson(join(miniapp, '..', 'project.config.json'));
if (root.miniprogramRoot !== 'miniapp/dist/weapp/' || root.compileType === 'plugin') fail('root project.config.json no longer opens miniapp/dist/weapp');

if (problems.length) {
  console.error(`plugin build check failed:\n- ${problems.join('\n- ')}`);
  process.exit(1);
}
console.log(`plugin build ok: ${Object.keys(pages).length} pages (exposed: ${pluginPages.join(', ')}), components: ${Object.keys(components).join(', ')}, main: ${manifest.main}; demo host ${hostDir} uses it as "${pluginName}"`);
