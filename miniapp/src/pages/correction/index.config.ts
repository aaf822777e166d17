export default definePageConfig({ navigationBarTitleText: '申诉纠错' });
