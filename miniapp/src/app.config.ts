import { hostAppConfig } from './host/appConfig';

// `taro build --plugin weapp` (npm run build:plugin; H7) builds this entry as the host beside the plugin: there it
// is the demo host of src/host, which embeds the plugin; every other build is the stand-alone app.
const pluginHost = process.argv.includes('--plugin');

export default pluginHost ? hostAppConfig : defineAppConfig({
  pages: [
    'pages/login/index',
    'pages/l4/index',
    'pages/profile/index',
    'pages/code/index',
    'pages/family/index',
    'pages/help/index',
    'pages/service/index',
    'pages/answers/index',
    'pages/report/index',
    'pages/messages/index',
    'pages/point/index',
    'pages/register/index',
    'pages/arrival/index',
    'pages/correction/index',
    'pages/card/index',
    'pages/staff/login/index',
    'pages/staff/password/index',
    'pages/staff/point/index',
    'pages/staff/home/index',
    'pages/staff/result/index',
    'pages/staff/feedback/index',
    'pages/staff/history/index',
  ],
  // 定位当前位置 on weapp: the scanner's scan point (pages/staff/point) and 健康上报 (pages/report).
  permission: { 'scope.userLocation': { desc: '用于填写扫码点或健康上报的具体位置' } },
  requiredPrivateInfos: ['getLocation'],
  window: {
    backgroundTextStyle: 'light',
    navigationBarBackgroundColor: '#1d6fd8',
    navigationBarTitleText: '八闽健康码',
    navigationBarTextStyle: 'white',
  },
});
