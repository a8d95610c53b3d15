import type { Rejection, RejectionsQuery } from '@pricebook/contracts';
import type { EntityManager } from '@pricebook/db';
import { createdCursor, iso, keysetPage, timestampKey } from './values';

interface DeadLetterRow {
  id: string;
  stream: string;
  consumer: string;
  subject: string;
  stream_seq: string;
  delivery_count: number;
  reason: string;
  payload: string;
  created_at: string | Date;
  discarded_at: string | Date | null;
  discarded_by: string | null;
  discard_reason: string | null;
}

const columns = `id, stream, consumer, subject, stream_seq, delivery_count, reason, payload, created_at,
  discarded_at, discarded_by, discard_reason`;

function toRejection(r: DeadLetterRow): Rejection {
  return {
    id: r.id,
    stream: r.stream,
    consumer: r.consumer,
    subject: r.subject,
    streamSeq: Number(r.stream_seq),
    deliveryCount: r.delivery_count,
    reason: r.reason,
    payload: r.payload,
    createdAt: iso(r.created_at),
    status: r.discarded_at === null ? 'open' : 'discarded',
    discardedAt: iso(r.discarded_at),
    discardedBy: r.discarded_by,
    discardReason: r.discard_reason,
  };
}

/**
 * A page of the messages the engine's consumers terminated, newest first, open ones unless the
 * query asks for the discarded or all. Rows whose tenant could not be read (a subject too broken
 * to parse) are shown to every tenant: they may be its.
 *
 * @example
 * const { rejections } = await listRejections(em, '1001', { limit: 50, status: 'open', stream: 'PRICEBOOK_INBOUND' });
 */
export async function listRejections(
  em: EntityManager,
  tenantId: string,
  query: RejectionsQuery,
): Promise<{ rejections: Rejection[]; nextCursor: string | null }> {
  const where = ['(tenant_id = ? or tenant_id is null)'];
  const params: unknown[] = [tenantId];
  if (query.status === 'open') where.push('discarded_at is null');
  if (query.status === 'discarded') where.push('discarded_at is not null');
  if (query.stream !== undefined) {
    where.push('stream = ?');
    params.push(query.stream);
  }
  if (query.subject !== undefined) {
    if (query.subject.endsWith('>')) {
      const prefix = query.subject.slice(0, -1);
      // A plain prefix comparison: no LIKE, so `_` and `%` in a subject mean themselves.
      where.push('left(subject, ?) = ?');
      params.push(prefix.length, prefix);
    } else {
      where.push('subject = ?');
      params.push(query.subject);
    }
  }
  if (query.cursor !== undefined) {
    const past = createdCursor(query.cursor, '<');
    where.push(past.sql);
    params.push(...past.params);
  }
  params.push(query.limit + 1);
  const rows = await em.execute<Array<DeadLetterRow & { created_key: string }>>(
    `select ${columns}, ${timestampKey('created_at')} as created_key
       from pricebook_dead_letters where ${where.join(' and ')}
      order by created_at desc, id desc limit ?`,
    params,
  );
  const { items, nextCursor } = keysetPage(rows, query.limit, (r) => [r.created_key, r.id]);
  return { rejections: items.map(toRejection), nextCursor };
}

/** One dead letter of `tenantId` (or of no readable tenant), open or discarded. */
export async function findRejection(
  em: EntityManager,
  tenantId: string,
  id: string,
): Promise<Rejection | undefined> {
  const rows = await em.execute<DeadLetterRow[]>(
    `select ${columns} from pricebook_dead_letters
      where id = ? and (tenant_id = ? or tenant_id is null)`,
    [id, tenantId],
  );
  return rows[0] && toRejection(rows[0]);
}

/**
 * Marks an open dead letter of `tenantId` discarded, by whom and why, and returns it; undefined
 * when it is not open (already discarded, redriven meanwhile, or never the tenant's). The update
 * is conditional, so of two discards at once exactly one wins.
 *
 * @example
 * const discarded = await discardRejection(em, '1001', id, { by: 'operator:0a1b2c3d4e5f', reason: 'test message' });
 */
export async function discardRejection(
  em: EntityManager,
  tenantId: string,
  id: string,
  discard: { by: string; reason: string },
): Promise<Rejection | undefined> {
  const rows = await em.execute<DeadLetterRow[]>(
    `update pricebook_dead_letters
        set discarded_at = now(), discarded_by = ?, discard_reason = ?
      where id = ? and (tenant_id = ? or tenant_id is null) and discarded_at is null
      returning ${columns}`,
    [discard.by, discard.reason, id, tenantId],
  );
  return rows[0] && toRejection(rows[0]);
}

/**
 * Removes a redriven dead letter: if the message fails again, it is dead-lettered anew with its
 * new reason. A discarded one is never removed here: its row is the trace of the discard.
 */
export async function removeRejection(em: EntityManager, id: string): Promise<void> {
  await em.execute('delete from pricebook_dead_letters where id = ? and discarded_at is null', [id]);
}
