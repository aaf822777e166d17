import path from 'path';
import { defineConfig } from '@tarojs/cli';

const commonSrc = path.resolve(__dirname, '..', '..', 'common', 'src');

// `taro build --plugin weapp` (npm run build:plugin; H7): Taro builds the WeChat plugin from src/plugin into
// dist/plugin/plugin, then the app entry into dist/plugin/miniprogram as the host that debugs it. That host is
// the demo host of src/host here, not the stand-alone app (src/app.config.ts), and dist/plugin gets the devtools
// project of both (src/host/project.config.json).
const pluginBuild = process.argv.includes('--plugin');
/** The plugin's appid: the project appid of the plugin project in WeChat devtools (TARO_APP_ID, as Taro reads it). */
const pluginAppId = process.env.TARO_APP_ID || 'touristappid';

/**
 * WeChat applies no app-level stylesheet inside a plugin, and Taro puts the shared styles (app.scss, imported by
 * src/plugin/setup.ts) into common.wxss imported only by the plugin's app.wxss: each page and public component of
 * plugin.json imports the shared style files itself.
 */
class PluginSharedStyles {
  apply(compiler: any) {
    const { Compilation, sources } = compiler.webpack;
    compiler.hooks.thisCompilation.tap('PluginSharedStyles', (compilation: any) => {
      compilation.hooks.processAssets.tap({ name: 'PluginSharedStyles', stage: Compilation.PROCESS_ASSETS_STAGE_REPORT }, () => {
        const manifest = compilation.getAsset('plugin.json');
        if (!manifest) return;
        const plugin = JSON.parse(manifest.source.source().toString());
        const shared = ['vendors.wxss', 'common.wxss'].filter((f) => compilation.getAsset(f));
        const entries = [...Object.values(plugin.pages ?? {}), ...Object.values(plugin.publicComponents ?? {})] as string[];
        for (const entry of entries) {
          const style = `${entry}.wxss`;
          if (!compilation.getAsset(style) && !compilation.getAsset(`${entry}.wxml`)) continue;
          const up = path.posix.relative(path.posix.dirname(entry), '.') || '.';
          const imports = shared.map((f) => `@import "${up}/${f}";\n`).join('');
          const own = compilation.getAsset(style)?.source ?? new sources.RawSource('');
          const updated = new sources.ConcatSource(imports, own);
          if (compilation.getAsset(style)) compilation.updateAsset(style, updated);
          else compilation.emitAsset(style, updated);
        }
      });
    });
  }
}

export default defineConfig<'webpack5'>(() => ({
  projectName: 'bamin-health-code-miniapp',
  date: '2026-12-01',
  designWidth: 750,
  deviceRatio: { 640: 2.34 / 2, 750: 1, 375: 2, 828: 1.81 / 2 },
  sourceRoot: 'src',
  outputRoot: pluginBuild ? 'dist/plugin' : `dist/${process.env.TARO_ENV}`,
  ...(pluginBuild ? { projectConfigName: 'host/project.config.json' } : {}),
  plugins: [],
  defineConstants: {
    API_BASE: JSON.stringify(process.env.TARO_APP_API_BASE ?? ''),
    SERVICE_TARGETS: JSON.stringify(process.env.TARO_APP_SERVICE_TARGETS ?? ''),
    // A plugin reaches its own pages only by plugin-private://<its appid>/<path> (services/routes.ts).
    PAGE_ROOT: JSON.stringify(pluginBuild ? `plugin-private://${pluginAppId}` : ''),
    PLUGIN_APPID: JSON.stringify(pluginBuild ? pluginAppId : ''),
  },
  alias: {
    '@bamin/common': commonSrc,
  },
  copy: { patterns: [], options: {} },
  framework: 'react',
  compiler: 'webpack5',
  cache: { enable: false },
  mini: {
    postcss: {
      pxtransform: { enable: true, config: {} },
      cssModules: { enable: false, config: { namingPattern: 'module', generateScopedName: '[name]__[local]___[hash:base64:5]' } },
    },
    webpackChain(chain) {
      // common/ lives outside the project: make sure its TypeScript goes through babel too.
      chain.module.rule('script').include.add(commonSrc);
      if (pluginBuild) chain.plugin('pluginSharedStyles').use(PluginSharedStyles);
    },
  },
  h5: {
    publicPath: '/h5/',
    staticDirectory: 'static',
    router: { mode: 'hash' },
    output: { filename: 'js/[name].[contenthash:8].js', chunkFilename: 'js/[name].[chunkhash:8].js' },
    miniCssExtractPluginOption: { ignoreOrder: true, filename: 'css/[name].[contenthash].css', chunkFilename: 'css/[name].[chunkhash].css' },
    postcss: {
      autoprefixer: { enable: true, config: {} },
      cssModules: { enable: false, config: { namingPattern: 'module', generateScopedName: '[name]__[local]___[hash:base64:5]' } },
    },
    webpackChain(chain) {
      chain.module.rule('script').include.add(commonSrc);
    },
  },
}));
