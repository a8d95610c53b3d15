import { parseSubject } from '@pricebook/contracts';
import { type Orm, recordDeadLetter } from '@pricebook/db';
import type { PoisonRecord } from '@pricebook/messaging';

/**
 * The consumers' `onPoison`: records a terminated message in `pricebook_dead_letters` with its
 * reason. Throwing (database down) makes the runner retry the message instead of losing it.
 *
 * @example
 * runConsumer({ …, onPoison: recordPoison(orm) });
 */
export function recordPoison(orm: Orm): (record: PoisonRecord) => Promise<void> {
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
