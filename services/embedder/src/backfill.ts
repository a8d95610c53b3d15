import { type EntityType, entityTypes } from '@pricebook/contracts';
import type { Orm } from '@pricebook/db';
import type { Embedder } from '@pricebook/embeddings';
import type { Logger } from '@pricebook/logger';
import { addCounts, type EmbedCounts, embedCandidates, noCounts } from './embed';
import { CategoryTree, readCandidatePage, tenantsWithRows } from './rows';

export interface BackfillOptions {
  /** Only this tenant (default: every tenant with rows). */
  tenant?: string;
  /** Only this entity (default: all). */
  entity?: EntityType;
  /** Rows read per page. */
  pageSize?: number;
  signal?: AbortSignal;
}

/**
 * Walks every live row and embeds those without a vector or whose text or model changed since
 * (a renamed category changes its items' text without an event of theirs). Safe beside the
 * running embedder and safe to stop and run again: an unchanged row costs one hash.
 *
 * @example
 * const counts = await backfill({ orm, embedder, dimensions: 1536, log }, { tenant: '42' });
 */
export async function backfill(
  deps: { orm: Orm; embedder: Embedder; dimensions: number; log: Logger },
  options: BackfillOptions = {},
): Promise<EmbedCounts> {
  const pageSize = options.pageSize ?? 500;
  const em = () => deps.orm.em.fork();
  const tenants = options.tenant ? [options.tenant] : await tenantsWithRows(em());
  const entities = options.entity ? [options.entity] : entityTypes;
  let total = noCounts();
  for (const tenant of tenants) {
    const tree = await CategoryTree.load(em(), tenant);
    for (const entity of entities) {
      let afterId: string | null = null;
      let counts = noCounts();
      for (;;) {
        if (options.signal?.aborted) return addCounts(total, counts);
        const page = await readCandidatePage(em(), { tenant, entity, afterId, limit: pageSize, tree });
        if (page.length === 0) break;
        afterId = page[page.length - 1]?.id ?? null;
        counts = addCounts(
          counts,
          await embedCandidates(
            { ...deps, ...(options.signal ? { signal: options.signal } : {}) },
            { tenant, entity, candidates: page },
          ),
        );
      }
      deps.log.info({ tenant, entity, ...counts }, 'backfilled embeddings');
      total = addCounts(total, counts);
    }
  }
  return total;
}
