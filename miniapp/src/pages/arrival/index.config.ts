export default definePageConfig({ navigationBarTitleText: '入闽申报' });
