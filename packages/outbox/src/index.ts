export { type OutboxMessage, outboxMessage } from './envelope';
export { type PublishNowDeps, publishNow } from './publish-now';
export { RELAY_NAME, type Relay, type RelayOptions, relayOnce, startRelay } from './relay';
export {
  type ClaimOptions,
  claimOutboxBatch,
  markOutboxPublished,
  type OutboxEntry,
  type PurgeOutboxBatch,
  purgePublishedOutbox,
  type RelayOutboxOptions,
  relayOutbox,
} from './store';
