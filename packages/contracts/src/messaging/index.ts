export * from './catalog';
export * from './common';
export * from './envelope';
export * from './examples';
export * from './payloads';
export * from './scheduler-state';
export * from './streams';
export * from './subjects';
