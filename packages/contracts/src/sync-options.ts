import { z } from 'zod';
import { ConflictStrategy, SyncDirection } from './domain';
import { EntityType, entityTypes } from './entities';

/**
 * `pricebook_sync_log.options`: the options a sync was created with, in the sync command's
 * camelCase names. Every reader parses it with this one schema: a field that is missing or
 * unreadable takes the sync command's default on its own, so an odd options document never
 * blocks a sync nor hides the fields that are fine.
 */
export const SyncOptions = z.object({
  direction: SyncDirection.catch('from_st'),
  /** The entities the sync covers; it completes when all of them are finished. */
  entityTypes: z
    .array(EntityType)
    .min(1)
    .readonly()
    .catch(() => [...entityTypes]),
  fullSync: z.boolean().catch(false),
  resolveConflicts: ConflictStrategy.catch('manual'),
  dryRun: z.boolean().catch(false),
  allowMassDelete: z.boolean().catch(false),
  /** The push may cross the push brake's limits. */
  allowMassChange: z.boolean().catch(false),
  /** A targeted sync: only these ST ids per entity (a drift report's re-sync); absent: everything. */
  stIds: z
    .partialRecord(EntityType, z.array(z.number().int().nonnegative()).readonly())
    .optional()
    .catch(undefined),
});
export type SyncOptions = z.infer<typeof SyncOptions>;

/**
 * Reads a sync log's `options` column (any JSON, or null) with the sync command's defaults.
 *
 * @example
 * readSyncOptions({ entityTypes: ['materials'] }).resolveConflicts; // 'manual'
 * readSyncOptions(null).entityTypes; // every entity type
 */
export function readSyncOptions(options: unknown): SyncOptions {
  const document = typeof options === 'object' && options !== null && !Array.isArray(options) ? options : {};
  return SyncOptions.parse(document);
}
