// What the app entry (src/app.ts) does for the stand-alone app, done for every plugin page and the component:
// a plugin has no app of its own, so its pages load the engine shims and the shared styles themselves.
import '../polyfills';
import '../app.scss';
