import { z } from 'zod';
import { type EntityType, TenantId } from '../entities';
import { dateRangeMessage, isDateInRange, SafeText } from '../limits';

/**
 * The deterministic id of a message. It is also the `Nats-Msg-Id` header, so a retried
 * publish inside the stream's duplicate window is dropped by JetStream.
 */
export const MessageId = z
  .string()
  .min(1)
  .max(512)
  .regex(/^[\x21-\x7e]+$/, 'message id must be printable ASCII without spaces');
export type MessageId = z.infer<typeof MessageId>;

/**
 * An ISO-8601 timestamp with a zone (`Z` or an offset), in years 1–9999 UTC (`isDateInRange`):
 * PostgreSQL has no year 0 and ServiceTitan no year 10000. zod's pattern is anchored and
 * backtracking-free.
 */
export const IsoDateTime = z.iso.datetime({ offset: true }).refine(isDateInRange, {
  message: dateRangeMessage,
  // Only for a well-formed timestamp: a malformed one gets the format's message alone.
  when: (payload) => payload.issues.length === 0,
});

/**
 * The envelope every message travels in, generic over its `data`.
 * `correlationId` is the sync id (or the id of the request that started the work);
 * `causationId` the id of the message that caused this one (`null` for a root command).
 *
 * @example
 * const Ping = envelope(z.object({ n: z.number() }));
 * Ping.parse({ id: 'p:1', type: 'ping', version: 1, occurredAt: '2025-01-01T00:00:00Z',
 *   tenant: '1001', correlationId: 'p', causationId: null, data: { n: 1 } });
 */
export function envelope<D extends z.ZodType>(data: D) {
  return z.object({
    id: MessageId,
    type: z.string().min(1),
    version: z.literal(1),
    occurredAt: IsoDateTime,
    tenant: TenantId,
    correlationId: SafeText.min(1).max(200),
    causationId: MessageId.nullable(),
    data,
  });
}

/** The envelope fields other than `type` and `data`, as a publisher fills them in. */
export interface EnvelopeInput {
  id: string;
  tenant: string | number;
  correlationId: string;
  causationId?: string | null;
  /** Defaults to now. */
  occurredAt?: string;
}

/**
 * Builders of deterministic message ids, so every publisher derives the same id for the
 * same fact and JetStream drops the repeat.
 *
 * @example
 * messageIds.observed({ syncLogId, entity: 'materials', stId: 42, modifiedOn: '2025-01-01T00:00:00Z' });
 * // '<syncLogId>:materials:42:2025-01-01T00:00:00Z'
 */
export const messageIds = {
  /** A sync command: one per sync log row. */
  syncCommand: (syncLogId: string) => `sync:${syncLogId}`,
  /** A drift check: one per report row. */
  driftCheck: (checkId: string) => `drift:${checkId}`,
  /** A command published by a scheduler tick; two replicas firing the same tick collide. */
  schedulerTick: (schedule: string, tick: Date | string) =>
    `tick:${schedule}:${typeof tick === 'string' ? tick : tick.toISOString()}`,
  observed: (k: { syncLogId: string; entity: EntityType; stId: number | string; modifiedOn: string }) =>
    `${k.syncLogId}:${k.entity}:${k.stId}:${k.modifiedOn}`,
  /**
   * A decision: the id of the observed message it answers, so a redelivery is dropped while a
   * record sent back for a fresh comparison (its observed id names the row version) is not.
   */
  decided: (observedId: string) => `${observedId}:decided`,
  fence: (k: { syncLogId: string; entity: EntityType }) => `${k.syncLogId}:${k.entity}:fence`,
  /** A public event: the id of its outbox row, as DESIGN.md fixes it. */
  event: (outboxId: string | number | bigint) => String(outboxId),
  /**
   * A resolve command: the API publishes it right after its commit and the outbox relay may
   * publish the same row again, so both derive it from the conflict and the outbox row.
   */
  resolveCommand: (k: { conflictId: string; outboxId: string }) => `resolve:${k.conflictId}:${k.outboxId}`,
  /**
   * A dead letter published again: not the message's own id, which JetStream's duplicate window
   * may still hold; a second redrive of the same letter is dropped.
   */
  redrive: (deadLetterId: string) => `redrive:${deadLetterId}`,
};
