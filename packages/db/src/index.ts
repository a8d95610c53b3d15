export type { EntityManager } from '@mikro-orm/postgresql';
export { type TypedColumn, typedColumns } from './columns';
export { type CreatedSync, type CreateSyncInput, createSync, type SyncRequestOptions } from './create-sync';
export { type DeadLetterInput, recordDeadLetter, recordPoison, type TerminatedMessage } from './dead-letters';
export * from './entities/index';
export * from './local-edits';
export { type MigrateResult, migrate, pendingSchemaChanges } from './migrate';
export { createOrm, type Orm, type OrmOptions, ormConfig } from './orm';
export { type PgRateBudgetStore, pgRateBudgetStore, type RateBudgetReservation } from './rate-budget';
export {
  type AuditChange,
  auditChangeJson,
  type RowEventOperation,
  recordEventData,
  rowEventOperation,
} from './record-event';
export {
  type AuditBatchResult,
  type AuditCursor,
  type ExpiryBatch,
  purgeAudit,
  purgeChangeSets,
  purgeDeadLetters,
  purgeDriftReports,
  purgeQuarantine,
  purgeRevokedSessions,
  purgeSessionCutoffs,
  purgeSyncItems,
  purgeSyncLogs,
  purgeTenant,
  purgeWebhookDeliveries,
  type RetentionBatch,
} from './retention/index';
export * from './sync-life-cycle/index';
export { acquireSyncRun, heartbeatSyncRun, releaseSyncRun, type SyncRunKey } from './sync-runs';
export {
  type ChangeSetRef,
  changeSetOf,
  type SessionOrigin,
  sessionSettings,
  setWriteContext,
  type WriteContext,
  withWriteContext,
} from './write-context';
