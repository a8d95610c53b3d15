export { tenantPipelineBacklog, tenantPipelineFilter } from './backlog';
export { isLastDelivery, loopBackoffMs, retryDelayMs } from './backoff';
export type { BatchContext, BatchFailures, BatchHandler, ConsumerMetrics, SettleOutcome } from './batch';
export { type ConnectNatsOptions, connectNats } from './connect';
export { type ConsumerRunner, type RunConsumerOptions, runConsumer } from './consumer-runner';
export { type Decoded, type Delivery, decode, type PoisonReason, type PoisonRecord } from './decode';
export { type DeliveryContext, handleEach } from './handlers';
export { type DependencyProbe, type OutageWaitOptions, waitOutOutage } from './outage';
export {
  consumersOf,
  inboxPrefixOf,
  type NatsPermissions,
  type NatsService,
  type NatsUser,
  natsPermissions,
  natsServices,
  natsUsers,
  passwordVariableOf,
  publishedTypes,
  type SubjectRules,
  schedulerStateStream,
} from './permissions';
export {
  type DurableDefinition,
  ensureConsumer,
  ensureStream,
  type ProvisionAction,
  type ProvisionOptions,
  type ProvisionReport,
  provision,
  toConsumerConfig,
  toStreamConfig,
} from './provision';
export {
  type IntegratorConsumer,
  integratorDurable,
  type ProvisionDeploymentOptions,
  parseIntegratorConsumers,
  provisionDeployment,
} from './provision-deployment';
export {
  type PublishAllOptions,
  type PublishOptions,
  type PublishResult,
  publish,
  publishAll,
} from './publish';
export { PublishWindow, type PublishWindowOptions } from './publish-window';
export { renderServerConfig, type ServerConfigOptions } from './server-config';
