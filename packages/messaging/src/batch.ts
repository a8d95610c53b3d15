import type { JsMsg } from '@nats-io/jetstream';
import {
  type ConsumerDefinition,
  deploymentNames,
  type MessageType,
  type RetryPolicy,
  type WireNames,
} from '@pricebook/contracts';
import { type AppError, type Dependency, toAppError } from '@pricebook/errors';
import type { Logger } from '@pricebook/logger';
import { isLastDelivery, retryDelayMs } from './backoff';
import { type Delivery, decode, type PoisonReason, type PoisonRecord } from './decode';
import { type DependencyProbe, waitOutOutage } from './outage';

/** Messages the handler failed, with the error of each; every other message is acked. */
export type BatchFailures<T extends MessageType> = ReadonlyMap<Delivery<T>, unknown>;

export interface BatchContext {
  log: Logger;
  /** Aborted once `stop()` was called: a long handler may finish early and fail the rest as retryable. */
  stopping: AbortSignal;
}

/**
 * Handles one batch. Resolve only after the batch's transaction has committed: the runner
 * acks then. Throw to fail the whole batch, or resolve with the messages that failed
 * (each with its error) so the others are still acked.
 */
export type BatchHandler<T extends MessageType> = (
  batch: ReadonlyArray<Delivery<T>>,
  context: BatchContext,
) => Promise<BatchFailures<T> | undefined> | Promise<void>;

export interface BatchProcessorOptions {
  def: ConsumerDefinition;
  /** The deployment's names: logs and dead letters record the contracts' subject. */
  names?: WireNames;
  handler: BatchHandler<MessageType>;
  policyOf: (type: MessageType) => RetryPolicy;
  onPoison: ((record: PoisonRecord) => Promise<void> | void) | undefined;
  log: Logger;
  stopping: AbortSignal;
  /** Messages received and not yet acked, naked or terminated (the runner keeps them alive). */
  unsettled: Set<JsMsg>;
  /** Counts settled messages (metrics); must not throw. */
  onSettled?: (outcome: SettleOutcome, count: number) => void;
  /** Checks a dependency that was down before held messages are tried again. */
  probe?: DependencyProbe;
  /** How long the runner's pull stays open: a message given back on stop waits at least this long. */
  pullMs?: number;
  /** True once the NATS connection is closed for good: messages held through an outage are lost to it. */
  connectionClosed?: () => boolean;
  /** Told when intake pauses for an outage (the dependency) and when it resumes (`undefined`). */
  onWaiting?: (dependency: Dependency | 'unknown' | undefined) => void;
}

/** How a message was settled. */
export type SettleOutcome = 'ack' | 'nak' | 'term';

/**
 * Counts settled messages of a consumer, e.g. `@pricebook/observability`'s metrics.
 *
 * @example
 * runConsumer({ ..., metrics: { settled: (consumer, outcome, n) => counter.inc({ consumer, outcome }, n) } });
 */
export interface ConsumerMetrics {
  settled(consumer: string, outcome: SettleOutcome, count: number): void;
  /** The consumer paused for an outage of `dependency`, or resumed (`undefined`). */
  waiting?(consumer: string, dependency: Dependency | 'unknown' | undefined): void;
}

interface Pending {
  delivery: Delivery;
  msg: JsMsg;
  policy: RetryPolicy;
  /** The message's child logger, made on first use: most messages are acked without a line. */
  readonly log: Logger;
}

type Extra = Partial<Pick<PoisonRecord, 'messageId' | 'type' | 'correlationId' | 'payload'>>;

/** Acks on a dead connection throw; the server redelivers those messages anyway. */
export function safely(action: () => void, log: Logger, what: 'nak' | 'term' | 'working') {
  try {
    action();
  } catch (err) {
    if (what === 'working') log.debug({ err }, 'working not sent');
    else log.warn({ err, what }, 'ack not sent; the message will come back');
  }
}

/**
 * Parse once → handler → ack / nak / term, for one batch of received messages.
 * Never throws: every message ends acked, naked with a delay, or terminated and recorded; a
 * message an outage failed is held (not settled) until the dependency is back, or the runner stops.
 */
export function createBatchProcessor(options: BatchProcessorOptions): (messages: JsMsg[]) => Promise<void> {
  const { def, handler, policyOf, log, unsettled } = options;
  const names = options.names ?? deploymentNames();
  const subjectOf = (msg: JsMsg) => names.logicalSubject(msg.subject) ?? msg.subject;
  const accepts: ReadonlySet<MessageType> = new Set(def.accepts);

  function messageLog(msg: JsMsg, extra: Extra): Logger {
    return log.child({
      subject: subjectOf(msg),
      streamSeq: msg.seq,
      deliveryCount: msg.info.deliveryCount,
      eventId: extra.messageId,
      syncId: extra.correlationId,
    });
  }

  /**
   * Waits out the outage `error` reports, keeping the messages in hand (the runner sends
   * `working()` for them). False when the runner stops first.
   */
  async function waitOut(error: AppError, attempt: number, mlog: Logger): Promise<boolean> {
    const dependency = error.dependency ?? 'unknown'; // an outage names it (`AppError.kind`)
    if (attempt === 1)
      mlog.warn({ dependency, code: error.code, err: error }, 'dependency down; intake paused');
    options.onWaiting?.(dependency);
    return waitOutOutage(error.dependency, attempt, {
      log: mlog,
      stopping: options.stopping,
      ...(options.probe ? { probe: options.probe } : {}),
      ...(options.connectionClosed ? { abandoned: options.connectionClosed } : {}),
    });
  }

  function resumed(attempts: number, mlog: Logger) {
    if (attempts === 0) return;
    options.onWaiting?.(undefined);
    mlog.info({ attempts }, 'dependency back; intake resumed');
  }

  /** Gives a message back for later (its delivery counts); used only when it cannot be finished now. */
  function giveBack(msg: JsMsg, mlog: Logger, delayMs: number) {
    unsettled.delete(msg);
    safely(() => msg.nak(delayMs), mlog, 'nak');
    options.onSettled?.('nak', 1);
  }

  async function poison(msg: JsMsg, mlog: Logger, reason: PoisonReason, detail: string, extra: Extra) {
    const record: PoisonRecord = {
      stream: def.stream,
      consumer: def.name,
      subject: subjectOf(msg),
      streamSeq: msg.seq,
      deliveryCount: msg.info.deliveryCount,
      reason,
      detail,
      ...extra,
      payload: extra.payload ?? new TextDecoder().decode(msg.data),
    };
    for (let attempt = 1; ; attempt += 1) {
      try {
        await options.onPoison?.(record);
        resumed(attempt - 1, mlog);
        break;
      } catch (err) {
        const error = toAppError(err);
        // The recorder's database is down: wait for it rather than spend a delivery.
        if (error.kind === 'infrastructure' && (await waitOut(error, attempt, mlog))) continue;
        const type = accepts.has(record.type as MessageType) ? (record.type as MessageType) : def.accepts[0];
        const delayMs = type ? retryDelayMs(policyOf(type), record.deliveryCount) : 5_000;
        mlog.error({ err, reason, detail, delayMs }, 'poison message not recorded; retrying it later');
        giveBack(msg, mlog, delayMs);
        return;
      }
    }
    unsettled.delete(msg);
    safely(() => msg.term(), mlog, 'term');
    options.onSettled?.('term', 1);
    mlog.warn({ reason, detail, type: record.type }, 'message terminated');
  }

  /**
   * Acks what succeeded, terminates what the message itself caused, naks bugs within the retry
   * budget, and holds what an outage failed: those are tried again once the dependency is back,
   * without settling them, so the outage costs them no delivery.
   */
  async function settle(pending: Pending[], failures: ReadonlyMap<Delivery, unknown>) {
    let round = pending;
    let roundFailures = failures;
    for (let attempt = 1; ; attempt += 1) {
      const held: Array<{ p: Pending; error: AppError }> = [];
      const acks: Pending[] = [];
      for (const p of round) {
        if (!roundFailures.has(p.delivery)) {
          acks.push(p);
          continue;
        }
        const error = toAppError(roundFailures.get(p.delivery));
        const { message, deliveryCount } = p.delivery;
        const extra = { messageId: message.id, type: message.type, correlationId: message.correlationId };
        if (error.kind === 'infrastructure') {
          held.push({ p, error });
        } else if (error.kind === 'message') {
          await poison(p.msg, p.log, 'rejected', `${error.code}: ${error.message}`, extra);
        } else if (isLastDelivery(p.policy, deliveryCount)) {
          const detail = `failed ${deliveryCount} times; last error ${error.code}: ${error.message}`;
          await poison(p.msg, p.log, 'max_deliveries', detail, extra);
        } else {
          const delayMs = retryDelayMs(p.policy, deliveryCount);
          giveBack(p.msg, p.log, delayMs);
          p.log.warn({ err: error, code: error.code, delayMs }, 'message failed; retrying later');
        }
      }
      await ackAll(acks);
      options.onSettled?.('ack', acks.length);
      const [first] = held;
      if (!first) return resumed(attempt - 1, log);
      if (!(await waitOut(first.error, attempt, first.p.log))) {
        // Stopping mid-outage: give them back for another replica or the next start, after a
        // delay so they do not bounce straight back into this runner's last open pull.
        for (const { p } of held) {
          const delayMs = Math.max(options.pullMs ?? 0, retryDelayMs(p.policy, p.delivery.deliveryCount));
          giveBack(p.msg, p.log, delayMs);
        }
        return;
      }
      round = held.map((h) => h.p);
      roundFailures = await callHandler(round);
    }
  }

  /**
   * Acks messages with one round trip: plain acks, then the last one confirmed. The server
   * handles one connection's messages in order, so that confirmation comes after the acks before
   * it; a confirmation per message cost a request each (a timer, an inbox reply, the server's answer).
   */
  async function ackAll(list: readonly Pending[]) {
    const last = list[list.length - 1];
    if (!last) return;
    for (const p of list) {
      unsettled.delete(p.msg);
      if (p === last) continue;
      // Not `safely(…, p.log, …)`: that would make every message's child logger, to log nothing.
      try {
        p.msg.ack();
      } catch (err) {
        p.log.warn({ err, what: 'ack' }, 'ack not sent; the message will come back');
      }
    }
    await last.msg.ackAck().then(
      () => undefined,
      (err: unknown) => last.log.warn({ err }, 'ack not confirmed; the batch may come back'),
    );
  }

  async function callHandler(pending: Pending[]): Promise<ReadonlyMap<Delivery, unknown>> {
    const batch = pending.map((p) => p.delivery);
    const context = { log, stopping: options.stopping };
    try {
      return (await handler(batch, context)) ?? new Map();
    } catch (err) {
      if (toAppError(err).retry || pending.length === 1) return new Map(batch.map((d) => [d, err]));
      // One bad message must not take the batch down with it: find it by handling them one by one.
      log.warn({ err, count: pending.length }, 'batch rejected; handling its messages one by one');
      const failures = new Map<Delivery, unknown>();
      for (const p of pending) {
        try {
          const single = (await handler([p.delivery], context)) ?? undefined;
          if (single?.has(p.delivery)) failures.set(p.delivery, single.get(p.delivery));
        } catch (error) {
          failures.set(p.delivery, error);
        }
      }
      return failures;
    }
  }

  return async (messages) => {
    const pending: Pending[] = [];
    for (const msg of messages) {
      const decoded = decode(msg, accepts, names);
      if (!decoded.ok) {
        const extra = { ...decoded.hints, payload: decoded.payload };
        await poison(msg, messageLog(msg, extra), decoded.reason, decoded.detail, extra);
        continue;
      }
      const { message } = decoded.delivery;
      const extra = { messageId: message.id, type: message.type, correlationId: message.correlationId };
      const policy = policyOf(message.type);
      if (msg.info.deliveryCount > policy.maxDeliveries) {
        const detail = `delivered ${msg.info.deliveryCount} times; the policy allows ${policy.maxDeliveries}`;
        await poison(msg, messageLog(msg, extra), 'max_deliveries', detail, extra);
        continue;
      }
      let mlog: Logger | undefined;
      pending.push({
        delivery: decoded.delivery,
        msg,
        policy,
        get log() {
          mlog ??= messageLog(msg, extra);
          return mlog;
        },
      });
    }
    if (pending.length === 0) return;
    const failures = await callHandler(pending);
    await settle(pending, failures);
    log.debug(
      { count: pending.length, failed: failures.size, firstSeq: pending[0]?.msg.seq },
      'batch handled',
    );
  };
}
