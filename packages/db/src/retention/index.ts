export { type AuditBatchResult, type AuditCursor, purgeAudit } from './audit';
export type { RetentionBatch } from './batch';
export { purgeChangeSets } from './changesets';
export { purgeDeadLetters } from './dead-letters';
export { purgeDriftReports } from './drift-reports';
export { purgeQuarantine } from './quarantine';
export { purgeSyncItems, purgeSyncLogs } from './sync-logs';
export { purgeTenant } from './tenant';
export { purgeWebhookDeliveries } from './webhook-deliveries';
