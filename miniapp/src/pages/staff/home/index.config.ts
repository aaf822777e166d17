export default definePageConfig({ navigationBarTitleText: '出入扫码服务' });
