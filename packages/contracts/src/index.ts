export * from './entities';
export * from './messaging/index';
export * from './push-impact';
export * from './st/index';
