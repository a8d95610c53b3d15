export * from './entities';
export * from './limits';
export * from './messaging/index';
export * from './push-impact';
export * from './st/index';
