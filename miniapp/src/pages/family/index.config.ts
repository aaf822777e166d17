export default definePageConfig({ navigationBarTitleText: '为家人申领' });
