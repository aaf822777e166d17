export default definePageConfig({ navigationBarTitleText: '更新健康信息' });
