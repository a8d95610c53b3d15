// Every public shape: domain enums, the sync options column, the HTTP API.
export * from './domain';
export * from './entities';
export * from './http/index';
export * from './limits';
export * from './messaging/index';
export * from './push-impact';
export * from './st/index';
export * from './sync-options';
