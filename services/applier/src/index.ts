export { createInboundHandler, type InboundHandlerOptions } from './commands/inbound/handler';
export { type ApplierEnv, applierEnv, loadApplierEnv } from './env';
export { type ApplierJob, applierConsumers, applierJobs } from './jobs';
export { createDecidedHandler, type DecidedHandlerOptions } from './pipeline/decided/handler';
export { createFenceHandler, type FenceHandlerOptions, handleFence } from './pipeline/fence/handler';
export { type ApplierRuntime, startApplier } from './runtime';
export { type StClients, singleTenantClients } from './shared/tenant-st';
export { createPushHandler } from './write-back/handler';
export { type PushDeps, type PushOutcome, runPush } from './write-back/run';
