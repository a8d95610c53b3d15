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

// The domain enums live in one module; the messages read them from here as before.
export {
  ChangeOrigin,
  ConflictResolution,
  ConflictStrategy,
  ConflictType,
  SyncDirection,
  SyncType,
} from '../domain';

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

/** Every counter of `SyncStats` at zero: where a sync's counting starts. */
export function zeroSyncStats(): SyncStats {
  return { fetched: 0, created: 0, updated: 0, deleted: 0, skipped: 0, conflicts: 0, errors: 0 };
}
