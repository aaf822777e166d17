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
  ],
  window: {
    backgroundTextStyle: 'light',
    navigationBarBackgroundColor: '#1d6fd8',
    navigationBarTitleText: '八闽健康码',
    navigationBarTextStyle: 'white',
  },
});
