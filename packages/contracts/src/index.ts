export * from './entities';
export * from './messaging/index';
export * from './st/index';
