export default definePageConfig({ navigationBarTitleText: '服务单位健康码' });
