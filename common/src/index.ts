// Shared by server, mini-program and console: enums, API shapes and pure rules.
export * from './api';
export * from './dates';
export * from './ids';
export * from './creditCode';
export * from './phone';
export * from './countries';
export * from './idDocuments';
export * from './mask';
export * from './scrub';
export * from './reasons';
export * from './colours';
export * from './areaLevels';
export * from './codeToken';
export * from './appApi';
export * from './staffApi';
export * from './passwords';
export * from './consoleApi';
