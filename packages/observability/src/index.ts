export { recordsApplied, syncDurations } from './applier';
export {
  createMetrics,
  type EngineMetrics,
  type GaugeSource,
  type MessageOutcome,
  type RecordOperation,
} from './metrics';
export {
  countOutboxBacklog,
  type Operations,
  type OperationsOptions,
  startOperations,
} from './operations';
export {
  checkReadiness,
  consumersCheck,
  databaseCheck,
  intakeCheck,
  natsCheck,
  type ReadinessCheck,
  type ReadinessReport,
} from './readiness';
export { type HealthServer, type HealthServerOptions, startHealthServer } from './server';
export { stClientMetrics } from './st-client';
export { type WebhookAttemptOutcome, type WebhookMetrics, webhookMetrics } from './webhooks';
