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
  created_key: string;
}

/**
 * A page of the messages the engine's consumers terminated, newest first. Rows whose tenant
 * could not be read (a subject too broken to parse) are shown to every tenant: they may be its.
 *
 * @example
 * const { rejections } = await listRejections(em, '1001', { limit: 50, stream: 'PRICEBOOK_INBOUND' });
 */
export async function listRejections(
  em: EntityManager,
  tenantId: string,
  query: RejectionsQuery,
): Promise<{ rejections: Rejection[]; nextCursor: string | null }> {
  const where = ['(tenant_id = ? or tenant_id is null)'];
  const params: unknown[] = [tenantId];
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
  const rows = await em.execute<DeadLetterRow[]>(
    `select id, stream, consumer, subject, stream_seq, delivery_count, reason, payload, created_at,
            ${timestampKey('created_at')} as created_key
       from pricebook_dead_letters where ${where.join(' and ')}
      order by created_at desc, id desc limit ?`,
    params,
  );
  const { items, nextCursor } = keysetPage(rows, query.limit, (r) => [r.created_key, r.id]);
  return {
    rejections: items.map((r) => ({
      id: r.id,
      stream: r.stream,
      consumer: r.consumer,
      subject: r.subject,
      streamSeq: Number(r.stream_seq),
      deliveryCount: r.delivery_count,
      reason: r.reason,
      payload: r.payload,
      createdAt: iso(r.created_at),
    })),
    nextCursor,
  };
}

/** The payload and subject of one dead letter of `tenantId` (or of no readable tenant). */
export async function findRejection(
  em: EntityManager,
  tenantId: string,
  id: string,
): Promise<{ id: string; subject: string; payload: string } | undefined> {
  const rows = await em.execute<Array<{ id: string; subject: string; payload: string }>>(
    `select id, subject, payload from pricebook_dead_letters
      where id = ? and (tenant_id = ? or tenant_id is null)`,
    [id, tenantId],
  );
  return rows[0];
}

/** Removes a redriven dead letter: if the message fails again, it is dead-lettered anew with its new reason. */
export async function removeRejection(em: EntityManager, id: string): Promise<void> {
  await em.execute('delete from pricebook_dead_letters where id = ?', [id]);
}
