export default defineAppConfig({
  pages: [
    'pages/login/index',
    'pages/l4/index',
    'pages/profile/index',
    'pages/code/index',
    'pages/family/index',
    'pages/help/index',
    'pages/service/index',
    'pages/answers/index',
    'pages/staff/login/index',
    'pages/staff/password/index',
    'pages/staff/point/index',
    'pages/staff/home/index',
    'pages/staff/result/index',
    'pages/staff/feedback/index',
    'pages/staff/history/index',
  ],
  // The scanner's 定位当前位置 (pages/staff/point) on weapp.
  permission: { 'scope.userLocation': { desc: '用于填写扫码点的具体位置' } },
  requiredPrivateInfos: ['getLocation'],
  window: {
    backgroundTextStyle: 'light',
    navigationBarBackgroundColor: '#1d6fd8',
    navigationBarTitleText: '八闽健康码',
    navigationBarTextStyle: 'white',
  },
});
