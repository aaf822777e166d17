// The app's own TextEncoder/TextDecoder shim (jsdom has neither, as the WeChat engine): the tests run on it.
import '../src/polyfills';
// Each test resets the Taro stand-in itself.
