export default definePageConfig({ navigationBarTitleText: '法人用户登录' });
