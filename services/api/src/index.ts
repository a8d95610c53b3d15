export { createApp } from './app';
export { type ApiKey, type Principal, parseApiKeys, type Role, roles } from './auth/api-keys';
export type { ApiApp, AppDeps, CommandPublisher } from './context';
export { type ApiConfig, type ApiEnv, apiConfig, apiEnv, loadApiEnv } from './env';
