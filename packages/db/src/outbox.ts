import type { EntityManager } from '@mikro-orm/postgresql';
import type { Orm } from './orm';

/** An outbox row as the relay sees it; `id` is the event id and the `Nats-Msg-Id`. */
export interface OutboxEntry {
  id: string;
  seq: string;
  tenantId: string;
  subject: string;
  eventType: string;
  payload: Record<string, unknown>;
  correlationId: string | null;
  causationId: string | null;
  createdAt: Date;
}

interface OutboxDbRow {
  id: string;
  seq: string;
  tenant_id: string;
  subject: string;
  event_type: string;
  payload: Record<string, unknown>;
  correlation_id: string | null;
  causation_id: string | null;
  // MikroORM's pg type parsers hand timestamps back as strings.
  created_at: string | Date;
}

/**
 * Locks up to `limit` unpublished rows, oldest first, skipping rows another relay holds, so
 * concurrent relays never hand out the same row. Call inside a transaction and keep it open
 * until the rows are published and marked.
 */
export async function claimOutboxBatch(em: EntityManager, limit: number): Promise<OutboxEntry[]> {
  if (!em.isInTransaction()) throw new Error('claimOutboxBatch needs a transaction to hold its row locks');
  const rows = await em.execute<OutboxDbRow[]>(
    `select id, seq::text as seq, tenant_id::text as tenant_id, subject, event_type, payload,
            correlation_id, causation_id, created_at
       from pricebook_outbox
      where published_at is null
      order by pricebook_outbox.seq -- the table's bigint, not the text alias above
      limit ?
      for update skip locked`,
    [limit],
  );
  return rows.map((r) => ({
    id: r.id,
    seq: r.seq,
    tenantId: r.tenant_id,
    subject: r.subject,
    eventType: r.event_type,
    payload: r.payload,
    correlationId: r.correlation_id,
    causationId: r.causation_id,
    createdAt: new Date(r.created_at),
  }));
}

/** Marks rows published; returns how many were still unpublished. */
export async function markOutboxPublished(em: EntityManager, ids: readonly string[]): Promise<number> {
  if (ids.length === 0) return 0;
  const result = await em.execute<{ affectedRows: number }>(
    `update pricebook_outbox set published_at = now()
      where published_at is null and id in (select jsonb_array_elements_text(?::jsonb)::uuid)`,
    [JSON.stringify(ids)],
    'run',
  );
  return result.affectedRows;
}

export interface RelayOptions {
  limit: number;
  /** Publishes the batch (with `Nats-Msg-Id` = `entry.id`); throwing leaves every row unpublished. */
  publish: (entries: OutboxEntry[]) => Promise<void>;
}

/**
 * One relay step: claim a batch, publish it, mark it, in one transaction. A crash after publishing
 * but before commit republishes the batch later, which JetStream drops as duplicates by id.
 * Returns the number of rows relayed (0 when the outbox is empty).
 */
export async function relayOutbox(orm: Orm, options: RelayOptions): Promise<number> {
  return orm.em.fork().transactional(async (em) => {
    const entries = await claimOutboxBatch(em, options.limit);
    if (entries.length === 0) return 0;
    await options.publish(entries);
    await markOutboxPublished(
      em,
      entries.map((e) => e.id),
    );
    return entries.length;
  });
}

/** Deletes published rows older than `olderThanMs`; the stream, not the outbox, is the history. */
export async function purgePublishedOutbox(em: EntityManager, olderThanMs: number): Promise<number> {
  const result = await em.execute<{ affectedRows: number }>(
    `delete from pricebook_outbox
      where published_at is not null and published_at < now() - make_interval(secs => ?)`,
    [olderThanMs / 1000],
    'run',
  );
  return result.affectedRows;
}
