import { type ConflictStrategy, readSyncOptions } from '@pricebook/contracts';
import type { EntityManager } from '@pricebook/db';
import type { Logger } from '@pricebook/logger';

interface OptionsRow {
  id: string;
  options: Record<string, unknown> | null;
}

/**
 * The `resolveConflicts` of each sync, read from `pricebook_sync_log.options` once per sync id
 * and cached (a sync's options never change once it is created). A sync without a log row, or
 * whose options do not say, is `manual`: a conflict then waits for a person, which loses nothing.
 *
 * @example
 * const strategies = await cache.resolveConflicts(em, ['0b6d…']);
 * strategies.get('0b6d…'); // 'keep_st'
 */
export class SyncOptionsCache {
  private readonly cache = new Map<string, ConflictStrategy>();
  /** Sync ids already warned about, so a sync of 100k records without a log row warns once. */
  private readonly warned = new Set<string>();

  constructor(
    private readonly log: Logger,
    private readonly limit = 1_000,
  ) {}

  /** One query for the ids not yet cached. */
  async resolveConflicts(
    em: EntityManager,
    syncLogIds: Iterable<string>,
  ): Promise<Map<string, ConflictStrategy>> {
    const ids = [...new Set(syncLogIds)];
    const missing = ids.filter((id) => !this.cache.has(id));
    const found = new Map<string, ConflictStrategy>();
    if (missing.length > 0) {
      const rows = await em.execute<OptionsRow[]>(
        'select id::text as id, options from pricebook_sync_log where id = any(?::uuid[])',
        [`{${missing.join(',')}}`],
      );
      for (const row of rows) found.set(row.id, strategyOf(row.options));
    }
    const out = new Map<string, ConflictStrategy>();
    for (const id of ids) {
      const cached = this.cache.get(id);
      if (cached) {
        out.set(id, cached);
        continue;
      }
      const strategy = found.get(id);
      if (strategy) this.remember(id, strategy);
      // Not cached when missing: the row may be written after all, and must then be honoured.
      else this.warnMissing(id);
      out.set(id, strategy ?? 'manual');
    }
    return out;
  }

  private warnMissing(id: string): void {
    if (this.warned.has(id)) return;
    if (this.warned.size >= this.limit) this.warned.clear();
    this.warned.add(id);
    this.log.warn({ syncId: id }, 'sync log row not found; conflicts are queued for a person');
  }

  private remember(id: string, strategy: ConflictStrategy): void {
    if (this.cache.size >= this.limit) {
      const oldest = this.cache.keys().next();
      if (!oldest.done) this.cache.delete(oldest.value);
    }
    this.cache.set(id, strategy);
  }
}

function strategyOf(options: Record<string, unknown> | null): ConflictStrategy {
  return readSyncOptions(options).resolveConflicts;
}
