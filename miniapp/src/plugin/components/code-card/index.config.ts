// A public component of the plugin: WeChat needs "component": true in its JSON.
export default { component: true };
