export { createSandbox, defaultTenantSpec, type Sandbox, type SandboxOptions } from './app';
export { type GenerateOptions, generatePricebook, itemSplit } from './generator';
export { type RunningServer, startServer } from './server';
export { defaultSettings, type SandboxSettings, type SandboxState } from './state';
