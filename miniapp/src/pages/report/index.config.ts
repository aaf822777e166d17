export default definePageConfig({ navigationBarTitleText: '健康上报' });
