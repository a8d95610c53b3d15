export { type QueueSyncInput, queueSync, recordSkippedSync, type SkippedSyncInput } from './create';
export { cancelSync, completeSync, failSync } from './end';
export { type OutboxInsert, syncEvent } from './events';
export { pushCommandOf, pushesAfterFetch } from './hand-off';
export type { SyncTransition } from './outcome';
export {
  type CounterDeltas,
  finishEntity,
  type PushCounterName,
  type RecordedProgress,
  recordProgress,
  startSync,
} from './progress';
export { handOffToPush, startPush } from './push-part';
export { loadSyncs, lockSync, type SyncLogRow, syncLogColumns, syncsUnderWay } from './row';
export { insertOutbox } from './sql';
export {
  canTransition,
  endedSyncStatuses,
  type SyncTransitionName,
  syncTransitions,
} from './transitions';
