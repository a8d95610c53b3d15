import { type AuditChange, auditChangeJson, type EntityManager, type Orm } from '@pricebook/db';

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
  /** The audit row a `record.*` event announces (null for every other message and older rows). */
  changeId: string | null;
  /** That audit row, read in the same statement; null when it is gone. */
  change: AuditChange | null;
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
  change_id: string | null;
  change: AuditChange | null;
}

export interface ClaimOptions {
  /** Only rows of these message types (a writer relays what its NATS user may publish); all when absent. */
  types?: readonly string[];
}

/**
 * Locks up to `limit` unpublished rows, oldest first, skipping rows another relay holds, so
 * concurrent relays never hand out the same row. Reads each `record.*` row's audit row with it.
 * Call inside a transaction and keep it open until the rows are published and marked.
 */
export async function claimOutboxBatch(
  em: EntityManager,
  limit: number,
  options: ClaimOptions = {},
): Promise<OutboxEntry[]> {
  if (!em.isInTransaction()) throw new Error('claimOutboxBatch needs a transaction to hold its row locks');
  const types = options.types === undefined ? null : JSON.stringify(options.types);
  const rows = await em.execute<OutboxDbRow[]>(
    `select o.id, o.seq::text as seq, o.tenant_id::text as tenant_id, o.subject, o.event_type, o.payload,
            o.correlation_id, o.causation_id, o.created_at, o.change_id,
            ${auditChangeJson('c')} as change
       from pricebook_outbox o
       left join pricebook_changes c on c.id = o.change_id
      where o.published_at is null
        and (?::jsonb is null or o.event_type in (select jsonb_array_elements_text(?::jsonb)))
      order by o.seq
      limit ?
      for update of o skip locked`,
    [types, types, limit],
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
    changeId: r.change_id,
    change: r.change,
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

export interface RelayOutboxOptions {
  limit: number;
  /** Publishes the batch (with `Nats-Msg-Id` = `entry.id`); throwing leaves every row unpublished. */
  publish: (entries: OutboxEntry[]) => Promise<void>;
}

/**
 * One relay step: claim a batch, publish it, mark it, in one transaction. A crash after publishing
 * but before commit republishes the batch later, which JetStream drops as duplicates by id.
 * Returns the number of rows relayed (0 when the outbox is empty).
 */
export async function relayOutbox(orm: Orm, options: RelayOutboxOptions): Promise<number> {
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

export interface PurgeOutboxBatch {
  tenantId: string;
  /** Rows published more than this many milliseconds ago (on the database's clock) may go. */
  olderThanMs: number;
  /** Rows deleted per statement: the batch, and how long its row locks last. */
  limit: number;
}

/**
 * Deletes one batch of published rows, oldest publication first, and returns how many went: the
 * stream, not the outbox, is the history. An unpublished row is never touched, however old (the
 * relay has yet to send it). Rows another replica is deleting are skipped, never waited for, so
 * two replicas split the work and their counts add up to what went.
 *
 * @example
 * while ((await purgePublishedOutbox(em, { tenantId, olderThanMs: 7 * 86_400_000, limit: 1000 })) === 1000);
 */
export async function purgePublishedOutbox(em: EntityManager, batch: PurgeOutboxBatch): Promise<number> {
  const rows = await em.execute<{ n: string }[]>(
    `with doomed as (
       select id from pricebook_outbox
        where tenant_id = ? and published_at is not null
          and published_at < now() - make_interval(secs => ?::double precision / 1000)
        order by published_at
        limit ?
        for update skip locked
     ), gone as (
       delete from pricebook_outbox o using doomed where o.id = doomed.id returning 1
     )
     select count(*) as n from gone`,
    [batch.tenantId, batch.olderThanMs, batch.limit],
  );
  return Number(rows[0]?.n ?? 0);
}
