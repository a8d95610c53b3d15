import type { EntityManager } from '@mikro-orm/postgresql';

export interface DeadLetterInput {
  tenantId?: string | null;
  stream: string;
  consumer: string;
  subject: string;
  streamSeq: number | string;
  deliveryCount: number;
  payload: string;
  reason: string;
}

/**
 * Records a message a consumer is about to terminate. Idempotent per (stream, consumer, stream
 * sequence), so recording again after a crash between insert and `term` changes nothing.
 * Returns whether a new row was written.
 */
export async function recordDeadLetter(em: EntityManager, input: DeadLetterInput): Promise<boolean> {
  const rows = await em.execute(
    `insert into pricebook_dead_letters
       (tenant_id, stream, consumer, subject, stream_seq, delivery_count, payload, reason)
     values (?, ?, ?, ?, ?, ?, ?, ?)
     on conflict (stream, consumer, stream_seq) do nothing
     returning id`,
    [
      input.tenantId ?? null,
      input.stream,
      input.consumer,
      input.subject,
      String(input.streamSeq),
      input.deliveryCount,
      input.payload,
      input.reason,
    ],
  );
  return rows.length > 0;
}
