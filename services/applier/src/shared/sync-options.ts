import { ConflictStrategy, EntityType, entityTypes } from '@pricebook/contracts';
import { z } from 'zod';

/**
 * What the applier reads from `pricebook_sync_log.options` (written by whoever created the sync,
 * in the sync command's camelCase names). Anything unreadable falls back to the command's default,
 * so an odd options document never blocks a sync.
 */
const SyncOptions = z.object({
  entityTypes: z.array(EntityType).min(1).optional().catch(undefined),
  allowMassDelete: z.boolean().optional().catch(undefined),
  allowMassChange: z.boolean().optional().catch(undefined),
  resolveConflicts: ConflictStrategy.optional().catch(undefined),
});

export interface ApplierSyncOptions {
  /** The entities the sync covers; it completes when all of them are finished. */
  entityTypes: readonly EntityType[];
  allowMassDelete: boolean;
  /** The push may cross the push brake's limits. */
  allowMassChange: boolean;
  resolveConflicts: ConflictStrategy;
}

/**
 * Reads a sync's options with the sync command's defaults.
 *
 * @example
 * syncOptions({ entityTypes: ['materials'] }).resolveConflicts; // 'manual'
 */
export function syncOptions(options: unknown): ApplierSyncOptions {
  const parsed = SyncOptions.safeParse(options ?? {});
  const data = parsed.success ? parsed.data : {};
  return {
    entityTypes: data.entityTypes ?? [...entityTypes],
    allowMassDelete: data.allowMassDelete ?? false,
    allowMassChange: data.allowMassChange ?? false,
    resolveConflicts: data.resolveConflicts ?? 'manual',
  };
}
