import type { JsMsg } from '@nats-io/jetstream';
import type { ConsumerDefinition, MessageType, RetryPolicy } from '@pricebook/contracts';
import { toAppError } from '@pricebook/errors';
import type { Logger } from '@pricebook/logger';
import { isLastDelivery, retryDelayMs } from './backoff';
import { type Delivery, decode, type PoisonReason, type PoisonRecord } from './decode';

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
  handler: BatchHandler<MessageType>;
  policyOf: (type: MessageType) => RetryPolicy;
  onPoison: ((record: PoisonRecord) => Promise<void> | void) | undefined;
  log: Logger;
  stopping: AbortSignal;
  /** Messages received and not yet acked, naked or terminated (the runner keeps them alive). */
  unsettled: Set<JsMsg>;
  /** Counts settled messages (metrics); must not throw. */
  onSettled?: (outcome: SettleOutcome, count: number) => void;
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
}

interface Pending {
  delivery: Delivery;
  msg: JsMsg;
  policy: RetryPolicy;
  log: Logger;
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
 * Never throws: every message ends acked, naked with a delay, or terminated and recorded.
 */
export function createBatchProcessor(options: BatchProcessorOptions): (messages: JsMsg[]) => Promise<void> {
  const { def, handler, policyOf, log, unsettled } = options;
  const accepts: ReadonlySet<MessageType> = new Set(def.accepts);

  function messageLog(msg: JsMsg, extra: Extra): Logger {
    return log.child({
      subject: msg.subject,
      streamSeq: msg.seq,
      deliveryCount: msg.info.deliveryCount,
      eventId: extra.messageId,
      syncId: extra.correlationId,
    });
  }

  async function poison(msg: JsMsg, mlog: Logger, reason: PoisonReason, detail: string, extra: Extra) {
    const record: PoisonRecord = {
      stream: def.stream,
      consumer: def.name,
      subject: msg.subject,
      streamSeq: msg.seq,
      deliveryCount: msg.info.deliveryCount,
      reason,
      detail,
      ...extra,
      payload: extra.payload ?? new TextDecoder().decode(msg.data),
    };
    unsettled.delete(msg);
    try {
      await options.onPoison?.(record);
    } catch (err) {
      const type = accepts.has(record.type as MessageType) ? (record.type as MessageType) : def.accepts[0];
      const delayMs = type ? retryDelayMs(policyOf(type), record.deliveryCount) : 5_000;
      mlog.error({ err, reason, detail, delayMs }, 'poison message not recorded; retrying it later');
      safely(() => msg.nak(delayMs), mlog, 'nak');
      options.onSettled?.('nak', 1);
      return;
    }
    safely(() => msg.term(), mlog, 'term');
    options.onSettled?.('term', 1);
    mlog.warn({ reason, detail, type: record.type }, 'message terminated');
  }

  async function settle(pending: Pending[], failures: ReadonlyMap<Delivery, unknown>) {
    const acks: Array<Promise<void>> = [];
    for (const p of pending) {
      unsettled.delete(p.msg);
      if (!failures.has(p.delivery)) {
        const confirmed = p.msg.ackAck().then(
          () => undefined,
          (err: unknown) => p.log.warn({ err }, 'ack not confirmed; the message may come back'),
        );
        acks.push(confirmed);
        continue;
      }
      const error = toAppError(failures.get(p.delivery));
      const { message, deliveryCount } = p.delivery;
      const extra = { messageId: message.id, type: message.type, correlationId: message.correlationId };
      if (!error.retry) {
        await poison(p.msg, p.log, 'rejected', `${error.code}: ${error.message}`, extra);
      } else if (isLastDelivery(p.policy, deliveryCount)) {
        const detail = `failed ${deliveryCount} times; last error ${error.code}: ${error.message}`;
        await poison(p.msg, p.log, 'max_deliveries', detail, extra);
      } else {
        const delayMs = retryDelayMs(p.policy, deliveryCount);
        safely(() => p.msg.nak(delayMs), p.log, 'nak');
        options.onSettled?.('nak', 1);
        p.log.warn({ err: error, code: error.code, delayMs }, 'message failed; retrying later');
      }
    }
    await Promise.all(acks);
    options.onSettled?.('ack', acks.length);
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
      const decoded = decode(msg, accepts);
      if (!decoded.ok) {
        const extra = { ...decoded.hints, payload: decoded.payload };
        await poison(msg, messageLog(msg, extra), decoded.reason, decoded.detail, extra);
        continue;
      }
      const { message } = decoded.delivery;
      const extra = { messageId: message.id, type: message.type, correlationId: message.correlationId };
      const mlog = messageLog(msg, extra);
      const policy = policyOf(message.type);
      if (msg.info.deliveryCount > policy.maxDeliveries) {
        const detail = `delivered ${msg.info.deliveryCount} times; the policy allows ${policy.maxDeliveries}`;
        await poison(msg, mlog, 'max_deliveries', detail, extra);
        continue;
      }
      pending.push({ delivery: decoded.delivery, msg, policy, log: mlog });
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
