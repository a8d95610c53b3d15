import type { JetStreamClient, JetStreamPublishOptions } from '@nats-io/jetstream';
import { catalog, deploymentNames, type Message, messageSchema, messageSubject } from '@pricebook/contracts';
import { AppError } from '@pricebook/errors';

export interface PublishResult {
  /** The message id (`Nats-Msg-Id`). */
  id: string;
  subject: string;
  stream: string;
  seq: number;
  /** JetStream had already stored this id within the duplicate window: already done, not an error. */
  duplicate: boolean;
}

export interface PublishOptions {
  /** Milliseconds to wait for the stream's acknowledgement. */
  timeoutMs?: number;
  /** Extra server-side checks, e.g. `{ lastSubjectSequence }` for optimistic concurrency. */
  expect?: Partial<JetStreamPublishOptions['expect']>;
  /**
   * `Nats-Msg-Id` other than the message id: a redrive of a dead letter publishes the same message
   * again on purpose, which the duplicate window would otherwise drop.
   */
  msgId?: string;
  /**
   * The message is already the output of a catalog parse (`createMessage`, or the relay's own
   * check of an outbox row): it is sent as it is, not parsed a second time. Parse once.
   */
  validated?: boolean;
  /** The deployment whose names to publish on; defaults to the process's (`useDeployment`). */
  deployment?: string;
}

const encoder = new TextEncoder();

/**
 * Validates a message against the catalog and publishes it with `Nats-Msg-Id` = its id, so
 * a repeat within the stream's duplicate window is dropped; the result says so.
 * Throws `AppError('validation_failed')` for an invalid message (nothing is sent) and
 * `AppError('unavailable', retry)` when JetStream does not acknowledge.
 *
 * @example
 * const { duplicate } = await publish(js, createMessage('sync.command', { ... }));
 */
export async function publish(
  js: JetStreamClient,
  message: Message,
  options: PublishOptions = {},
): Promise<PublishResult> {
  const valid = options.validated ? message : validate(message);
  const subject = messageSubject(valid);
  const names = deploymentNames(options.deployment);
  try {
    const ack = await js.publish(names.subject(subject), encoder.encode(JSON.stringify(valid)), {
      msgID: options.msgId ?? valid.id,
      expect: { streamName: names.stream(catalog[valid.type].stream), ...options.expect },
      ...(options.timeoutMs === undefined ? {} : { timeout: options.timeoutMs }),
    });
    return {
      id: options.msgId ?? valid.id,
      subject,
      stream: ack.stream,
      seq: ack.seq,
      duplicate: ack.duplicate === true,
    };
  } catch (err) {
    throw new AppError('unavailable', `publish of ${valid.id} to ${subject} failed`, {
      cause: err,
      dependency: 'nats',
      details: { subject, messageId: valid.id },
    });
  }
}

function validate(message: Message): Message {
  const parsed = messageSchema(message.type).safeParse(message);
  if (parsed.success) return parsed.data;
  const errors = parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
  throw new AppError('validation_failed', `invalid ${message.type} message ${message.id}`, {
    details: { errors },
  });
}

export interface PublishAllOptions extends PublishOptions {
  /** Publishes in flight at once (default 64). */
  concurrency?: number;
}

/**
 * Publishes many messages with a bounded number in flight, in order of start. Resolves
 * with one result per message in input order; rejects with the first error once the
 * in-flight publishes settle (already published ones stay published: publishing again is
 * safe, the ids make the repeats duplicates).
 *
 * @example
 * const results = await publishAll(js, observed, { concurrency: 128 });
 * const fresh = results.filter((r) => !r.duplicate).length;
 */
export async function publishAll(
  js: JetStreamClient,
  messages: Iterable<Message> | AsyncIterable<Message>,
  options: PublishAllOptions = {},
): Promise<PublishResult[]> {
  const limit = Math.max(1, options.concurrency ?? 64);
  const results: PublishResult[] = [];
  const inFlight = new Set<Promise<void>>();
  let failure: { error: unknown } | undefined;
  let index = 0;
  for await (const message of messages) {
    if (failure) break;
    const at = index++;
    const p = publish(js, message, options).then(
      (r) => {
        results[at] = r;
      },
      (error: unknown) => {
        failure ??= { error };
      },
    );
    const tracked = p.finally(() => inFlight.delete(tracked));
    inFlight.add(tracked);
    if (inFlight.size >= limit) await Promise.race(inFlight);
  }
  await Promise.all(inFlight);
  if (failure) throw failure.error;
  return results;
}
