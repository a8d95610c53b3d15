import { parseSubject } from '@pricebook/contracts';
import { type Orm, recordDeadLetter } from '@pricebook/db';
import type { PoisonRecord } from '@pricebook/messaging';

/**
 * The runner's `onPoison`: records a terminated message in `pricebook_dead_letters` (idempotent
 * per stream sequence). If recording fails the runner retries the message rather than lose it.
 *
 * @example
 * runConsumer({ …, onPoison: deadLetterRecorder(orm) });
 */
export function deadLetterRecorder(orm: Orm): (record: PoisonRecord) => Promise<void> {
  return async (record) => {
    await recordDeadLetter(orm.em.fork(), {
      tenantId: parseSubject(record.subject)?.tenant ?? null,
      stream: record.stream,
      consumer: record.consumer,
      subject: record.subject,
      streamSeq: record.streamSeq,
      deliveryCount: record.deliveryCount,
      payload: record.payload,
      reason: `${record.reason}: ${record.detail}`,
    });
  };
}
