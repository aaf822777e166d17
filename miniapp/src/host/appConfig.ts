// The host declares the plugin under its own name ("bamin") and opens its pages by plugin://bamin/<page>.
// version 'dev' + provider = the plugin project's appid is WeChat devtools' convention for a plugin developed
// in the same project (dist/plugin/project.config.json, compileType "plugin"); a real host names a released
// version and the plugin's registered appid. src/app.config.ts answers with this config in the plugin build.
export const hostAppConfig = defineAppConfig({
  pages: ['host/index'],
  window: {
    backgroundTextStyle: 'light',
    navigationBarBackgroundColor: '#3a4a5c',
    navigationBarTitleText: '宿主应用（演示）',
    navigationBarTextStyle: 'white',
  },
  plugins: {
    bamin: { version: 'dev', provider: process.env.TARO_APP_ID || 'touristappid' },
  },
});
