import type { JetStreamClient } from '@nats-io/jetstream';
import { createMessage, type Message, normalizeStTimestamp } from '@pricebook/contracts';
import { type Delivery, publish } from '@pricebook/messaging';
import type { StaleDecision } from './apply-group';
import { stDeleted } from './classify';

// Used only when a decision carries no timestamp at all (an ST deletion): the comparator needs one.
const UNKNOWN_MODIFIED_ON = '1970-01-01T00:00:00.0000000Z';
const UNKNOWN_HASH = '0000000000000000';

/** The observed message id the decision came from, without an earlier `:v<version>` suffix. */
function observedIdOf(message: Message<'record.decided'>): string {
  const id = message.causationId ?? message.id.replace(/:decided$/, '');
  return id.replace(/:v\d+$/, '');
}

/**
 * The `record.observed` message that sends a stale decision back to the comparator. Its id gets
 * `:v<row version>`, so it is not dropped as a duplicate of the first observation, while a second
 * send-back at the same row version is.
 *
 * @example
 * sendBackMessage({ delivery, version: 4 }).id; // '<sync>:materials:42:<modifiedOn>:v4'
 */
export function sendBackMessage(stale: StaleDecision): Message<'record.observed'> {
  const { message } = stale.delivery;
  const d = message.data;
  const record = d.record ?? d.base ?? { id: d.stId };
  const raw = record.modifiedOn;
  const modifiedOn =
    d.modifiedOn ?? (typeof raw === 'string' ? normalizeStTimestamp(raw) : undefined) ?? UNKNOWN_MODIFIED_ON;
  return createMessage('record.observed', {
    id: `${observedIdOf(message)}:v${stale.version}`,
    // The decision's tenant, which its sync's was checked to be.
    tenant: message.tenant,
    correlationId: d.syncLogId,
    causationId: message.id,
    data: {
      syncLogId: d.syncLogId,
      entity: d.entity,
      stId: d.stId,
      modifiedOn,
      record,
      hash: d.hash ?? d.expected?.contentHash ?? UNKNOWN_HASH,
      ...(stDeleted(d) ? { deleted: true } : {}),
    },
  });
}

/**
 * Publishes the send-backs; returns the decisions whose publish failed (to be retried: the
 * next delivery finds the row still moved and sends it again).
 *
 * @example
 * const failed = await sendBack(js, stale);
 */
export async function sendBack(
  js: JetStreamClient,
  stale: readonly StaleDecision[],
): Promise<Map<Delivery<'record.decided'>, unknown>> {
  const failures = new Map<Delivery<'record.decided'>, unknown>();
  const results = await Promise.allSettled(stale.map((s) => publish(js, sendBackMessage(s))));
  results.forEach((result, i) => {
    const s = stale[i];
    if (result.status === 'rejected' && s) failures.set(s.delivery, result.reason);
  });
  return failures;
}
