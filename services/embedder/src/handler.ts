import type { EntityType } from '@pricebook/contracts';
import type { Orm } from '@pricebook/db';
import type { Embedder } from '@pricebook/embeddings';
import type { BatchHandler } from '@pricebook/messaging';
import { addCounts, embedCandidates, noCounts } from './embed';
import { CategoryTree, readCandidates } from './rows';
import type { YieldToSyncs } from './yield';

type EmbedEvent = 'record.created' | 'record.updated';

/**
 * Rows embedded and written between two looks for a sync (the provider client's default request
 * size): a batch in hand when a sync starts steps aside within one slice.
 */
export const embedSliceSize = 64;

/**
 * The consumers' batch handler: the records a batch of `record.created` / `record.updated`
 * events names, read as they are now (an event's own payload may be older), embedded when their
 * text changed. Failing throws the whole batch back: the runner waits out a provider outage
 * without spending the events' retries, and a second delivery costs nothing (the hash). With
 * `yieldToSyncs`, each slice of the batch first waits for the syncs at work (the runner keeps the
 * held events alive meanwhile).
 *
 * @example
 * runConsumer({ js, log, consumer: consumers.embedCreated, handler: embedHandler({ orm, embedder, dimensions }) });
 */
export function embedHandler<T extends EmbedEvent>(deps: {
  orm: Orm;
  embedder: Embedder;
  dimensions: number;
  yieldToSyncs?: Pick<YieldToSyncs, 'wait'> | undefined;
}): BatchHandler<T> {
  return async (batch, { log, stopping }) => {
    const groups = new Map<string, { tenant: string; entity: EntityType; ids: Set<string> }>();
    for (const { message } of batch) {
      const key = `${message.tenant}:${message.data.entity}`;
      const group = groups.get(key) ?? {
        tenant: message.tenant,
        entity: message.data.entity,
        ids: new Set(),
      };
      group.ids.add(message.data.recordId);
      groups.set(key, group);
    }
    let counts = noCounts();
    const trees = new Map<string, CategoryTree>();
    for (const group of groups.values()) {
      const em = deps.orm.em.fork();
      const tree = trees.get(group.tenant) ?? (await CategoryTree.load(em, group.tenant));
      trees.set(group.tenant, tree);
      const candidates = await readCandidates(em, { ...group, ids: [...group.ids], tree });
      for (let start = 0; start < candidates.length; start += embedSliceSize) {
        await deps.yieldToSyncs?.wait(stopping);
        const slice = candidates.slice(start, start + embedSliceSize);
        counts = addCounts(
          counts,
          await embedCandidates(
            { ...deps, signal: stopping },
            { tenant: group.tenant, entity: group.entity, candidates: slice },
          ),
        );
      }
    }
    log.debug({ events: batch.length, ...counts }, 'embedded a batch');
  };
}
