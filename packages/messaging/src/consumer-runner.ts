import { setTimeout as delay } from 'node:timers/promises';
import type { Consumer, JetStreamClient, JsMsg } from '@nats-io/jetstream';
import { ClosedConnectionError, DrainingConnectionError, millis } from '@nats-io/transport-node';
import {
  type AcceptedType,
  type ConsumerDefinition,
  catalog,
  deploymentNames,
  type MessageType,
  type RetryPolicy,
} from '@pricebook/contracts';
import type { Dependency } from '@pricebook/errors';
import type { Logger } from '@pricebook/logger';
import { loopBackoffMs } from './backoff';
import { type BatchHandler, type ConsumerMetrics, createBatchProcessor, safely } from './batch';
import type { PoisonRecord } from './decode';
import type { DependencyProbe } from './outage';
import { ensureConsumer } from './provision';

export interface RunConsumerOptions<C extends ConsumerDefinition> {
  js: JetStreamClient;
  /** The durable consumer, from the contracts (it names its stream and the types it takes). */
  consumer: C;
  handler: BatchHandler<AcceptedType<C>>;
  log: Logger;
  /** Most messages per batch, and per pull (default: 100, or the consumer's max ack pending if lower). */
  batchSize?: number;
  /** How long one pull stays open for more messages; at least 1000 ms (default 2000). Bounds `stop()`. */
  maxWaitMs?: number;
  /** A batch is handed over once no message arrived for this long (default 20 ms) or it is full. */
  lingerMs?: number;
  /** Records a terminated message. If it throws, the message is retried later instead of lost. */
  onPoison?: (record: PoisonRecord) => Promise<void> | void;
  /** Stops the runner (as `stop()` does) when aborted. */
  signal?: AbortSignal;
  /** Retry policy per type; defaults to the catalog's. */
  retryPolicy?: (type: MessageType) => RetryPolicy;
  /** Recreate the durable from its definition if it was deleted (default true). */
  recreate?: boolean;
  /** Counts every settled message (ack / nak / term) under the durable's name, and outage pauses. */
  metrics?: ConsumerMetrics;
  /**
   * Checks a dependency that was down before the messages held through its outage are tried
   * again (e.g. `select 1`); without one, trying them again is the probe.
   */
  probe?: DependencyProbe;
  /** The deployment whose stream and durable to bind to; defaults to the process's (`useDeployment`). */
  deployment?: string;
  /**
   * Waited for before each pull: a consumer of work that can wait (embedding, say) gives the
   * machine to more urgent work while it lasts. It ends early on `signal` (the runner stopping);
   * a throw counts as a failed pull, tried again with backoff.
   */
  beforePull?: (signal: AbortSignal) => Promise<void>;
}

export interface ConsumerRunner {
  /** Stops pulling, finishes and settles the messages in hand, then resolves. */
  stop(): Promise<void>;
  /** Resolves when the runner has stopped (after `stop()`, the signal, or a closed connection). */
  readonly stopped: Promise<void>;
  /** The dependency whose outage holds intake paused now, if any. */
  waitingFor(): Dependency | 'unknown' | undefined;
}

interface Open {
  consumer: Consumer;
  ackWaitMs: number;
}

// An abort only ends the wait early: the caller looks at the signal next.
const sleep = (ms: number, signal?: AbortSignal) => delay(ms, undefined, { signal }).catch(() => undefined);

/**
 * The connection under a JetStream client. nats.js keeps it as `nc` without typing it, and the
 * runner needs it only to stop holding messages on a connection closed for good.
 */
function connectionOf(js: JetStreamClient): { isClosed(): boolean } | undefined {
  const nc: unknown = Reflect.get(js, 'nc');
  if (typeof nc !== 'object' || nc === null) return undefined;
  const isClosed: unknown = Reflect.get(nc, 'isClosed');
  return typeof isClosed === 'function' ? { isClosed: () => Boolean(isClosed.call(nc)) } : undefined;
}

const isClosed = (err: unknown) =>
  err instanceof ClosedConnectionError || err instanceof DrainingConnectionError;

/**
 * Runs one durable pull consumer: pulls bounded batches, parses each message once against
 * the catalog, calls the handler, then acks (or naks with backoff, or terminates and
 * records). Survives NATS restarts, missed heartbeats and a deleted consumer by recreating
 * its pull. Messages held are kept alive with `working()` while they wait or are handled.
 * A failure classified as an outage (`AppError.kind === 'infrastructure'`: database, NATS,
 * ServiceTitan unreachable) pauses intake: the messages stay in hand, unsettled, until the
 * dependency answers again, so an outage of any length spends none of their retry budget.
 *
 * @example
 * const runner = runConsumer({
 *   js, log, consumer: consumers.applier, batchSize: 200,
 *   handler: async (batch) => { await db.transaction((tx) => applyAll(tx, batch)); return undefined; },
 *   onPoison: (p) => deadLetters.insert(p),
 * });
 * process.once('SIGTERM', () => runner.stop());
 */
export function runConsumer<C extends ConsumerDefinition>(options: RunConsumerOptions<C>): ConsumerRunner {
  const def = options.consumer;
  const names = deploymentNames(options.deployment);
  const wire = { stream: names.stream(def.stream), durable: names.durable(def.name) };
  const log = options.log.child({ component: 'consumer', stream: def.stream, consumer: def.name });
  const stopController = new AbortController();
  const batchSize = Math.max(1, options.batchSize ?? Math.min(100, def.maxAckPending));
  const maxWaitMs = Math.max(1_000, options.maxWaitMs ?? 2_000);
  const lingerMs = Math.max(0, options.lingerMs ?? 20);
  const unsettled = new Set<JsMsg>();
  let waitingFor: Dependency | 'unknown' | undefined;
  const processBatch = createBatchProcessor({
    def,
    names,
    handler: options.handler as BatchHandler<MessageType>,
    policyOf: options.retryPolicy ?? ((type) => catalog[type].retry),
    onPoison: options.onPoison,
    log,
    stopping: stopController.signal,
    unsettled,
    onSettled: options.metrics && ((outcome, count) => options.metrics?.settled(def.name, outcome, count)),
    ...(options.probe ? { probe: options.probe } : {}),
    pullMs: maxWaitMs + 1_000,
    connectionClosed: () => connectionOf(options.js)?.isClosed() === true,
    onWaiting: (dependency) => {
      waitingFor = dependency;
      options.metrics?.waiting?.(def.name, dependency);
    },
  });
  let currentFetch: { stop(): void } | undefined;
  let guard: NodeJS.Timeout | undefined;

  const requestStop = () => {
    if (stopController.signal.aborted) return;
    stopController.abort();
    // A pull ends by itself within maxWaitMs; a dead connection may hold it, so cut it then.
    guard = setTimeout(() => currentFetch?.stop(), maxWaitMs + 5_000);
    guard.unref();
  };
  if (options.signal?.aborted) requestStop();
  options.signal?.addEventListener('abort', requestStop, { once: true });

  async function openConsumer(): Promise<Open> {
    try {
      const consumer = await options.js.consumers.get(wire.stream, wire.durable);
      const info = await consumer.info(true);
      return { consumer, ackWaitMs: millis(info.config.ack_wait ?? 0) || def.ackWaitMs };
    } catch (err) {
      if (options.recreate === false || !(err instanceof Error) || !/consumer not found/i.test(err.message)) {
        throw err;
      }
      log.warn('consumer missing; recreating it from its definition');
      await ensureConsumer(await options.js.jetstreamManager(), def, names);
      return {
        consumer: await options.js.consumers.get(wire.stream, wire.durable),
        ackWaitMs: def.ackWaitMs,
      };
    }
  }

  /**
   * One pull of up to `batchSize` messages, handed to the handler in batches as they
   * arrive. The pull stays open until it is full or expires, so nothing is left in flight.
   */
  /** Returns how many messages the pull brought. */
  async function cycle(open: Open): Promise<number> {
    if (stopController.signal.aborted) return 0;
    const iterator = await open.consumer.fetch({ max_messages: batchSize, expires: maxWaitMs });
    currentFetch = iterator;
    const buffer: JsMsg[] = [];
    let received = 0;
    let done = false;
    let failure: { error: unknown } | undefined;
    let wake: (() => void) | undefined;
    const notify = () => {
      wake?.();
      wake = undefined;
    };
    const changed = (timeoutMs?: number) =>
      new Promise<void>((resolve) => {
        const timer = timeoutMs === undefined ? undefined : setTimeout(resolve, timeoutMs);
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    const pumping = (async () => {
      try {
        for await (const m of iterator) {
          buffer.push(m);
          received += 1;
          unsettled.add(m);
          notify();
        }
      } catch (error) {
        failure = { error };
      } finally {
        done = true;
        currentFetch = undefined;
        notify();
      }
    })();
    // Keep the server from redelivering what waits in the buffer or is being handled.
    const ticker = setInterval(
      () => {
        for (const m of unsettled) safely(() => m.working(), log, 'working');
      },
      Math.max(200, Math.floor(open.ackWaitMs / 3)),
    );
    try {
      for (;;) {
        while (buffer.length === 0 && !done) await changed();
        if (buffer.length === 0) break;
        while (!done && buffer.length < batchSize) {
          const before = buffer.length;
          await changed(lingerMs);
          if (buffer.length === before) break;
        }
        await processBatch(buffer.splice(0, batchSize));
      }
    } finally {
      clearInterval(ticker);
      await pumping;
      // Only left over if handling threw unexpectedly: give them back now rather than at ack wait.
      for (const m of buffer.splice(0)) {
        unsettled.delete(m);
        safely(() => m.nak(), log, 'nak');
        options.metrics?.settled(def.name, 'nak', 1);
      }
    }
    if (failure) throw failure.error;
    return received;
  }

  async function loop(): Promise<void> {
    let attempt = 0;
    let open: Open | undefined;
    log.info({ batchSize, maxWaitMs }, 'consumer started');
    while (!stopController.signal.aborted) {
      try {
        await options.beforePull?.(stopController.signal);
        open ??= await openConsumer();
        const received = await cycle(open);
        attempt = 0;
        // A pull to a consumer deleted under it can end as quietly as an idle one: ask the server
        // after an empty pull, so a missing consumer is noticed (and recreated) rather than polled.
        if (received === 0 && !stopController.signal.aborted) await open.consumer.info();
      } catch (err) {
        if (isClosed(err)) {
          log.warn('nats connection closed; consumer stops');
          break;
        }
        open = undefined;
        attempt += 1;
        const delayMs = loopBackoffMs(attempt);
        log.warn({ err, attempt, delayMs }, 'pull failed; recreating it');
        await sleep(delayMs, stopController.signal);
      }
    }
    clearTimeout(guard);
    options.signal?.removeEventListener('abort', requestStop);
    log.info('consumer stopped');
  }

  const stopped = loop().catch((err: unknown) => {
    log.error({ err }, 'consumer loop crashed');
  });

  return {
    stopped,
    waitingFor: () => waitingFor,
    async stop() {
      requestStop();
      await stopped;
    },
  };
}
