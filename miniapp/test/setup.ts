// Nothing global yet: each test resets the Taro stand-in itself.
export {};
