import path from 'path';
import { defineConfig } from '@tarojs/cli';

const commonSrc = path.resolve(__dirname, '..', '..', 'common', 'src');

export default defineConfig<'webpack5'>(() => ({
  projectName: 'bamin-health-code-miniapp',
  date: '2026-12-01',
  designWidth: 750,
  deviceRatio: { 640: 2.34 / 2, 750: 1, 375: 2, 828: 1.81 / 2 },
  sourceRoot: 'src',
  outputRoot: `dist/${process.env.TARO_ENV}`,
  plugins: [],
  defineConstants: {
    API_BASE: JSON.stringify(process.env.TARO_APP_API_BASE ?? ''),
    SERVICE_TARGETS: JSON.stringify(process.env.TARO_APP_SERVICE_TARGETS ?? ''),
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
