export default definePageConfig({
  navigationBarTitleText: '宿主应用（演示）',
  usingComponents: { 'code-card': 'plugin://bamin/code-card' },
});
