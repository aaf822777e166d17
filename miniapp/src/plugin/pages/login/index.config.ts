export default definePageConfig({ navigationBarTitleText: '八闽健康码' });
