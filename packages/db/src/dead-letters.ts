import type { EntityManager } from '@mikro-orm/postgresql';
import { parseSubject } from '@pricebook/contracts';

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
 * `text` cannot hold NUL: a payload or reason quoting one (a raw byte in a message that is not
 * JSON, a field name) would fail the insert and the message would come back for ever.
 * U+FFFD is what the decoder already puts in place of bytes it cannot read.
 */
const storable = (text: string) => text.replaceAll('\u0000', '\uFFFD');

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
      storable(input.payload),
      storable(input.reason),
    ],
  );
  return rows.length > 0;
}

/** What a consumer runner knows of a message it terminates (the messaging package's `PoisonRecord`). */
export interface TerminatedMessage {
  subject: string;
  stream: string;
  consumer: string;
  streamSeq: number | string;
  deliveryCount: number;
  payload: string;
  reason: string;
  detail: string;
}

/**
 * A consumer runner's `onPoison`: records the terminated message in `pricebook_dead_letters` with
 * its reason. Throwing (database down) makes the runner retry the message instead of losing it.
 *
 * @example
 * runConsumer({ …, onPoison: recordPoison(orm) });
 */
export function recordPoison(orm: {
  em: { fork(): EntityManager };
}): (message: TerminatedMessage) => Promise<void> {
  return async (message) => {
    await recordDeadLetter(orm.em.fork(), {
      tenantId: parseSubject(message.subject)?.tenant ?? null,
      stream: message.stream,
      consumer: message.consumer,
      subject: message.subject,
      streamSeq: message.streamSeq,
      deliveryCount: message.deliveryCount,
      payload: message.payload,
      reason: `${message.reason}: ${message.detail}`,
    });
  };
}
