export default definePageConfig({ navigationBarTitleText: '健康码卡片' });
