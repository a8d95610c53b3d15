import { z } from 'zod';
import { SafeText } from '../limits';

/** Id of a `pricebook_sync_log` row (uuid). */
export const SyncLogId = z.guid();
export type SyncLogId = z.infer<typeof SyncLogId>;

/** Id of a local pricebook row (uuid). */
export const RecordId = z.guid();
export type RecordId = z.infer<typeof RecordId>;

/** A JSON object (a `jsonb` column): a whole or partial ST record, a base snapshot. */
export const JsonObject = z.record(z.string(), z.unknown());
export type JsonObject = z.infer<typeof JsonObject>;

/** A content hash (hex digest of the record's canonical JSON). */
export const ContentHash = z.string().regex(/^[0-9a-f]{16,128}$/, 'hash must be a lowercase hex digest');

export const SyncDirection = z.enum(['from_st', 'to_st', 'bidirectional']);
export type SyncDirection = z.infer<typeof SyncDirection>;

/** How conflicts found during a sync are settled (the original spec's `resolveConflicts`). */
export const ConflictStrategy = z.enum(['keep_st', 'keep_local', 'manual']);
export type ConflictStrategy = z.infer<typeof ConflictStrategy>;

export const ConflictType = z.enum([
  'both_modified',
  'local_deleted_st_modified',
  'st_deleted_local_modified',
]);
export type ConflictType = z.infer<typeof ConflictType>;

export const SyncType = z.enum(['full', 'incremental', 'push']);
export type SyncType = z.infer<typeof SyncType>;

/** Where a change came from; `merge` is an automatic merge of disjoint ST and local edits. */
export const ChangeOrigin = z.enum(['st', 'local', 'inbound', 'resolution', 'merge']);
export type ChangeOrigin = z.infer<typeof ChangeOrigin>;

/** Who asked: an e-mail, a user id, `scheduler`, an integration's name. */
export const Actor = SafeText.min(1).max(200);

const count = z.number().int().nonnegative();

/** The counters of a sync, as in the original spec's response. */
export const SyncStats = z.object({
  fetched: count,
  created: count,
  updated: count,
  deleted: count,
  skipped: count,
  conflicts: count,
  errors: count,
});
export type SyncStats = z.infer<typeof SyncStats>;
