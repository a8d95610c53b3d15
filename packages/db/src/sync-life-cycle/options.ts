import { ConflictStrategy, EntityType, entityTypes } from '@pricebook/contracts';

export interface ApplierSyncOptions {
  /** The entities the sync covers; it completes when all of them are finished. */
  entityTypes: readonly EntityType[];
  allowMassDelete: boolean;
  /** The push may cross the push brake's limits. */
  allowMassChange: boolean;
  resolveConflicts: ConflictStrategy;
}

const field = (options: unknown, name: string): unknown =>
  typeof options === 'object' && options !== null ? Reflect.get(options, name) : undefined;

/** The entity list when it is a non-empty list of known entities; undefined otherwise. */
function entityList(value: unknown): EntityType[] | undefined {
  if (!Array.isArray(value) || value.length === 0) return undefined;
  const parsed = value.flatMap((v) => {
    const p = EntityType.safeParse(v);
    return p.success ? [p.data] : [];
  });
  return parsed.length === value.length ? parsed : undefined;
}

/**
 * Reads a sync's options (`pricebook_sync_log.options`, written by whoever created the sync, in
 * the sync command's camelCase names) with the sync command's defaults. Anything unreadable falls
 * back to the default, so an odd options document never blocks a sync.
 *
 * @example
 * syncOptions({ entityTypes: ['materials'] }).resolveConflicts; // 'manual'
 */
export function syncOptions(options: unknown): ApplierSyncOptions {
  const flag = (name: string) => field(options, name) === true;
  const strategy = ConflictStrategy.safeParse(field(options, 'resolveConflicts'));
  return {
    entityTypes: entityList(field(options, 'entityTypes')) ?? [...entityTypes],
    allowMassDelete: flag('allowMassDelete'),
    allowMassChange: flag('allowMassChange'),
    resolveConflicts: strategy.success ? strategy.data : 'manual',
  };
}
