export { createDecidedHandler, type DecidedHandlerOptions } from './decided/handler';
export { type ApplierEnv, applierEnv, loadApplierEnv } from './env';
export { createFenceHandler, type FenceHandlerOptions, handleFence } from './fence/handler';
export { createInboundHandler, type InboundHandlerOptions } from './inbound/handler';
export { createPushHandler } from './push/handler';
export { type PushDeps, type PushOutcome, runPush } from './push/run';
export { type ApplierRuntime, startApplier } from './runtime';
