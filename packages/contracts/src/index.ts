export * from './entities';
export * from './limits';
export * from './messaging/index';
export * from './st/index';
