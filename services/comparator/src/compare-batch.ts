import type { JetStreamClient } from '@nats-io/jetstream';
import { type Message, messageIds } from '@pricebook/contracts';
import type { Orm } from '@pricebook/db';
import { AppError } from '@pricebook/errors';
import { type Decision, decide } from '@pricebook/merge';
import { type BatchHandler, type Delivery, publishAll } from '@pricebook/messaging';
import { loadRows } from './local-rows';
import type { SyncOptionsCache } from './sync-options';

export interface CompareDeps {
  orm: Orm;
  js: JetStreamClient;
  syncOptions: SyncOptionsCache;
  /** Decisions in flight to JetStream at once. */
  publishConcurrency: number;
}

type Observed = Delivery<'record.observed'>;

/**
 * The decision as a `record.decided` message: message id = the observed id + `:decided`, so a
 * redelivered observed record yields a duplicate that JetStream drops, while a record the applier
 * sent back for a fresh comparison (its observed id carries the row version) gets a new one.
 *
 * @example
 * await publish(js, decidedMessage(observed, decide(observed.data, row, options)));
 */
export function decidedMessage(
  observed: Message<'record.observed'>,
  decision: Decision,
): Message<'record.decided'> {
  // Built as the catalog's shape, not through `createMessage`: the observed message was parsed at
  // this service's edge and `decide` returns the typed decision, so a second parse of the records
  // it carries (a third of the comparator's zod time) buys nothing. The applier parses it at its
  // edge; a test holds this builder to the catalog.
  return {
    id: messageIds.decided(observed.id),
    type: 'record.decided',
    version: 1,
    occurredAt: new Date().toISOString(),
    tenant: observed.tenant,
    correlationId: observed.correlationId,
    causationId: observed.id,
    data: decision,
  };
}

/**
 * The `comparator` consumer's batch handler. Per batch: the sync options of its syncs (one query),
 * then per (tenant, entity) one query for the local rows, one decision per observed record,
 * and the decisions published; it resolves only once JetStream has stored them all, so the
 * runner acks the batch after that. It serves every tenant, each record judged against its own
 * tenant's rows (it holds no tenant's credentials: whether a tenant may sync was the fetcher's
 * question). A record no decision can be made for fails alone (terminated and dead-lettered); a
 * database or JetStream failure fails the batch, which comes back.
 *
 * @example
 * runConsumer({ js, log, consumer: consumers.comparator, batchSize: 1000, handler: comparatorHandler(deps) });
 */
export function comparatorHandler(deps: CompareDeps): BatchHandler<'record.observed'> {
  return async (batch, ctx) => {
    const failures = new Map<Observed, unknown>();
    const groups = new Map<string, Observed[]>();
    for (const d of batch) {
      const { tenant, data } = d.message;
      const key = `${tenant}:${data.entity}`;
      const group = groups.get(key);
      if (group) group.push(d);
      else groups.set(key, [d]);
    }
    if (groups.size === 0) return failures;

    const em = deps.orm.em.fork();
    const accepted = [...groups.values()].flat();
    const strategies = await deps.syncOptions.resolveConflicts(
      em,
      accepted.map((d) => d.message.data.syncLogId),
    );
    const decisions: Message<'record.decided'>[] = [];
    const actions: Record<string, number> = {};
    for (const group of groups.values()) {
      const [first] = group;
      if (!first) continue;
      const { tenant } = first.message;
      const { entity } = first.message.data;
      const rows = await loadRows(
        em,
        tenant,
        entity,
        group.map((d) => d.message.data.stId),
      );
      for (const d of group) {
        const { data } = d.message;
        try {
          const resolveConflicts = strategies.get(data.syncLogId) ?? 'manual';
          const decision = decide(data, rows.get(data.stId), { resolveConflicts });
          decisions.push(decidedMessage(d.message, decision));
          actions[decision.action] = (actions[decision.action] ?? 0) + 1;
        } catch (err) {
          // A row or record no valid decision can be made from: keep it for a person to inspect.
          const reason = err instanceof Error ? err.message : String(err);
          failures.set(
            d,
            new AppError('bad_message', `no decision for ${entity} ${data.stId}: ${reason}`, { cause: err }),
          );
        }
      }
    }
    // Each is the catalog's shape from typed, parsed parts (see `decidedMessage`): sent as it is.
    await publishAll(deps.js, decisions, { concurrency: deps.publishConcurrency, validated: true });
    ctx.log.debug(
      {
        count: batch.length,
        decided: decisions.length,
        failed: failures.size,
        actions,
        firstSeq: batch[0]?.streamSeq,
      },
      'batch compared',
    );
    return failures;
  };
}
