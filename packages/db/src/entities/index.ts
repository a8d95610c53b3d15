import { mapEntities } from '@pricebook/contracts';
import { AssistantProposalRow } from './assistant';
import { DriftReportRow } from './drift';
import { Change, ChangeSet, DeadLetter, OutboxMessage, QuarantinedRecord } from './events';
import { pricebookRowEntities } from './pricebook';
import { StRateBudget } from './rate-budget';
import { RevokedSession, SessionCutoff } from './sessions';
import { SyncConflict, SyncItem, SyncLog, SyncRun, SyncState } from './sync';
import { TenantRow } from './tenant';
import { WebhookAttemptRow, WebhookDeliveryRow, WebhookSubscriptionRow } from './webhooks';

export * from './assistant';
export * from './drift';
export * from './events';
export * from './pricebook';
export * from './rate-budget';
export { searchConfig, searchDocumentSql } from './search-document';
export * from './sessions';
export * from './sync';
export * from './tenant';
export { embeddingDimensions, VectorType } from './vector-type';
export * from './webhooks';

type PricebookRowEntity = (typeof pricebookRowEntities)[number];

/**
 * The entity definition of each pricebook table, keyed by the contracts' entity type through
 * the registry's table name. A descriptor whose table has no definition fails at load.
 */
export const pricebookEntities = mapEntities((d): PricebookRowEntity => {
  const entity = pricebookRowEntities.find((e) => e.meta.tableName === d.table);
  if (!entity) throw new Error(`no ORM entity for the pricebook table ${d.table} (${d.type})`);
  return entity;
});

/** Every entity the ORM knows; the schema snapshot is computed from this list. */
export const allEntities = [
  ...pricebookRowEntities,
  SyncLog,
  SyncRun,
  SyncConflict,
  SyncState,
  SyncItem,
  Change,
  ChangeSet,
  OutboxMessage,
  QuarantinedRecord,
  DeadLetter,
  StRateBudget,
  TenantRow,
  DriftReportRow,
  WebhookSubscriptionRow,
  WebhookDeliveryRow,
  WebhookAttemptRow,
  AssistantProposalRow,
  RevokedSession,
  SessionCutoff,
];
