import { setTimeout as sleep } from 'node:timers/promises';
import type { JetStreamClient } from '@nats-io/jetstream';
import { catalog, isMessageType, type Message } from '@pricebook/contracts';
import { type EntityManager, type Orm, recordDeadLetter } from '@pricebook/db';
import type { Logger } from '@pricebook/logger';
import { loopBackoffMs, publishAll } from '@pricebook/messaging';
import { outboxMessage } from './envelope';
import { claimOutboxBatch, markOutboxPublished, type OutboxEntry } from './store';

/** Waits `ms`, or less when `signal` aborts, so a stopping loop is not held up. */
const pause = (ms: number, signal: AbortSignal): Promise<void> =>
  sleep(ms, undefined, { signal }).catch(() => undefined);

export interface RelayOptions {
  orm: Orm;
  js: JetStreamClient;
  log: Logger;
  /** Rows claimed per transaction (default 1000). */
  batchSize?: number;
  /** Publishes in flight at once (default 256). */
  concurrency?: number;
  /** Pause between polls of an empty outbox (default 150 ms). */
  idleMs?: number;
  /**
   * Only rows of these message types: what this process's NATS user may publish
   * (`publishedTypes(service)` of `@pricebook/messaging`). Every row when absent, as the applier
   * relays.
   */
  types?: readonly string[];
  /** Sees the messages of each relayed batch once it has committed (metrics); must not throw. */
  onPublished?: (messages: readonly Message[]) => void;
}

export interface Relay {
  /** Finishes the batch in hand, then stops polling. */
  stop(): Promise<void>;
  readonly stopped: Promise<void>;
}

/** The consumer name recorded on dead letters of outbox rows the relay refused. */
export const RELAY_NAME = 'outbox-relay';

async function deadLetter(em: EntityManager, entry: OutboxEntry, reason: string): Promise<void> {
  await recordDeadLetter(em, {
    tenantId: entry.tenantId,
    stream: isMessageType(entry.eventType) ? catalog[entry.eventType].stream : 'PRICEBOOK_EVENTS',
    consumer: RELAY_NAME,
    subject: entry.subject,
    streamSeq: entry.seq,
    deliveryCount: 1,
    payload: JSON.stringify(entry),
    reason,
  });
}

/**
 * One relay step in one transaction: claim up to `limit` unpublished rows in `seq` order (rows
 * another relay holds are skipped), publish them with `Nats-Msg-Id` set, mark them. A row that is
 * not a valid catalog message is dead-lettered and marked, so it cannot block the rows behind it.
 * Returns the number of rows claimed.
 *
 * @example
 * const n = await relayOnce({ orm, js, log }, 500);
 */
export async function relayOnce(
  options: Pick<RelayOptions, 'orm' | 'js' | 'log' | 'concurrency' | 'onPublished' | 'types'>,
  limit: number,
): Promise<number> {
  let published: Message[] = [];
  const claimed = await options.orm.em.fork().transactional(async (em) => {
    const entries = await claimOutboxBatch(em, limit, { types: options.types });
    if (entries.length === 0) return 0;
    const messages: Message[] = [];
    for (const entry of entries) {
      const built = outboxMessage(entry);
      if (built.ok) {
        messages.push(built.message);
        continue;
      }
      options.log.error(
        {
          outboxId: entry.id,
          seq: entry.seq,
          subject: entry.subject,
          eventType: entry.eventType,
          reason: built.reason,
        },
        'outbox row is not a valid message; dead-lettered',
      );
      await deadLetter(em, entry, built.reason);
    }
    // `outboxMessage` has checked each against the catalog already.
    await publishAll(options.js, messages, { concurrency: options.concurrency ?? 256, validated: true });
    await markOutboxPublished(
      em,
      entries.map((e) => e.id),
    );
    published = messages;
    return entries.length;
  });
  if (published.length > 0) options.onPublished?.(published);
  return claimed;
}

/**
 * Runs the outbox relay until stopped: again at once after a full batch, after `idleMs` when the
 * outbox ran dry, and with growing pauses while PostgreSQL or NATS fail.
 *
 * @example
 * const relay = startRelay({ orm, js, log });
 * process.once('SIGTERM', () => relay.stop());
 */
export function startRelay(options: RelayOptions): Relay {
  const log = options.log.child({ component: 'relay' });
  const batchSize = options.batchSize ?? 1000;
  const idleMs = options.idleMs ?? 150;
  const controller = new AbortController();
  const loop = async () => {
    let failures = 0;
    log.info({ batchSize, idleMs, types: options.types ?? 'all' }, 'outbox relay started');
    while (!controller.signal.aborted) {
      try {
        const n = await relayOnce({ ...options, log }, batchSize);
        failures = 0;
        if (n > 0) log.debug({ count: n }, 'outbox rows relayed');
        if (n < batchSize) await pause(idleMs, controller.signal);
      } catch (err) {
        failures += 1;
        const delayMs = loopBackoffMs(failures);
        log.warn({ err, attempt: failures, delayMs }, 'outbox relay failed; retrying');
        await pause(delayMs, controller.signal);
      }
    }
    log.info('outbox relay stopped');
  };
  const stopped = loop();
  return {
    stopped,
    async stop() {
      controller.abort();
      await stopped;
    },
  };
}
