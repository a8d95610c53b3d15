import { z } from 'zod';

/*
 * The engine's domain enums, each once. The lists are what the database columns hold (their
 * check constraints), so the entities, the HTTP schemas and the messages all read one truth.
 */

/**
 * The kinds of sync a `pricebook_sync_log` row records. `resolve` is admitted by the column for
 * a settlement run; the public sync events do not describe it (see `SyncEventData`).
 */
export const syncTypes = ['full', 'incremental', 'push', 'resolve'] as const;
export const SyncType = z.enum(syncTypes);
export type SyncType = z.infer<typeof SyncType>;

export const syncDirections = ['from_st', 'to_st', 'bidirectional'] as const;
export const SyncDirection = z.enum(syncDirections);
export type SyncDirection = z.infer<typeof SyncDirection>;

/** Where a sync stands (`pricebook_sync_log.status`). */
/** A sync's statuses; the sync life cycle (`@pricebook/db`, `sync-life-cycle/`) says how it moves. */
export const syncLogStatuses = ['queued', 'running', 'pushing', 'completed', 'failed', 'cancelled'] as const;
export const SyncLogStatus = z.enum(syncLogStatuses);
export type SyncLogStatus = z.infer<typeof SyncLogStatus>;

export const conflictTypes = [
  'both_modified',
  'local_deleted_st_modified',
  'st_deleted_local_modified',
] as const;
export const ConflictType = z.enum(conflictTypes);
export type ConflictType = z.infer<typeof ConflictType>;

export const conflictStatuses = ['unresolved', 'resolved', 'superseded'] as const;
export const ConflictStatus = z.enum(conflictStatuses);
export type ConflictStatus = z.infer<typeof ConflictStatus>;

/** How a conflict was settled (`pricebook_sync_conflicts.resolution`). */
export const conflictResolutions = ['keep_st', 'keep_local', 'merge'] as const;
export const ConflictResolution = z.enum(conflictResolutions);
export type ConflictResolution = z.infer<typeof ConflictResolution>;

/** What a person may ask of a conflict: a resolution, or `manual` (leave it open, noting who looked). */
export const ResolveStrategy = z.enum([...conflictResolutions, 'manual']);
export type ResolveStrategy = z.infer<typeof ResolveStrategy>;

/** How conflicts found during a sync are settled (the original spec's `resolveConflicts`). */
export const conflictStrategies = ['keep_st', 'keep_local', 'manual'] as const;
export const ConflictStrategy = z.enum(conflictStrategies);
export type ConflictStrategy = z.infer<typeof ConflictStrategy>;

/** A pricebook row's standing with ServiceTitan (`sync_status`). */
export const syncStatuses = ['synced', 'pending_sync', 'conflict'] as const;
export const SyncStatus = z.enum(syncStatuses);
export type SyncStatus = z.infer<typeof SyncStatus>;

/** What a sync did with one record (`pricebook_sync_items.action`). */
export const syncItemActions = [
  'create',
  'update',
  'skip',
  'delete',
  'conflict',
  'quarantine',
  'merge',
] as const;
export const SyncItemAction = z.enum(syncItemActions);
export type SyncItemAction = z.infer<typeof SyncItemAction>;

/** The operation of an audit row (`pricebook_changes.operation`). */
export const changeOperations = ['create', 'update', 'delete', 'restore'] as const;
export const ChangeOperation = z.enum(changeOperations);
export type ChangeOperation = z.infer<typeof ChangeOperation>;

/**
 * Where a change came from; `merge` is an automatic merge of disjoint ST and local edits, `revert`
 * a change-set's before-values written back (a local edit, pushed like one).
 */
export const changeOrigins = ['st', 'local', 'inbound', 'resolution', 'merge', 'revert'] as const;
export const ChangeOrigin = z.enum(changeOrigins);
export type ChangeOrigin = z.infer<typeof ChangeOrigin>;

/**
 * What made a change-set (the audit rows written together): a sync run (its id is the sync's), an
 * API bulk edit, a single API edit, a batch of inbound messages, a conflict's resolution, or a
 * revert of another change-set, or an operator's confirmation of an assistant's proposal.
 */
export const changeSetKinds = [
  'sync',
  'bulk_edit',
  'edit',
  'inbound',
  'resolution',
  'revert',
  'assistant',
] as const;
export const ChangeSetKind = z.enum(changeSetKinds);
export type ChangeSetKind = z.infer<typeof ChangeSetKind>;
