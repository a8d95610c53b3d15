import type { JsMsg } from '@nats-io/jetstream';
import {
  deploymentNames,
  type Message,
  type MessageType,
  type ParseFailure,
  parseMessage,
  type WireNames,
} from '@pricebook/contracts';

/** One received message, parsed once against the catalog. */
export interface Delivery<T extends MessageType = MessageType> {
  readonly message: Message<T>;
  readonly subject: string;
  /** Stream sequence: stable across redeliveries. */
  readonly streamSeq: number;
  /** 1 on the first delivery. */
  readonly deliveryCount: number;
}

/** Why a message was terminated instead of handled. */
export type PoisonReason =
  | 'bad_json'
  | ParseFailure
  | 'unexpected_type'
  /** The handler failed it with a non-retryable error. */
  | 'rejected'
  /** It failed on every delivery the retry policy allows. */
  | 'max_deliveries';

/** What `onPoison` receives, for the service to record (e.g. a dead-letter table). */
export interface PoisonRecord {
  stream: string;
  consumer: string;
  subject: string;
  streamSeq: number;
  deliveryCount: number;
  reason: PoisonReason;
  /** A sentence for people: the schema issues, the error code and message. */
  detail: string;
  /** The raw payload as UTF-8 (invalid bytes replaced), for inspection and replay. */
  payload: string;
  messageId?: string;
  type?: string;
  correlationId?: string;
}

export type Decoded =
  | { ok: true; delivery: Delivery }
  | { ok: false; reason: PoisonReason; detail: string; payload: string; hints: Partial<PoisonRecord> };

const decoder = new TextDecoder('utf-8', { fatal: false });

/** Envelope fields worth keeping from a payload that failed validation. */
function hintsOf(json: unknown): Partial<PoisonRecord> {
  if (typeof json !== 'object' || json === null) return {};
  const pick = (key: string) => {
    const v: unknown = Reflect.get(json, key);
    return typeof v === 'string' ? v.slice(0, 512) : undefined;
  };
  const hints: Partial<PoisonRecord> = {};
  const messageId = pick('id');
  const type = pick('type');
  const correlationId = pick('correlationId');
  if (messageId !== undefined) hints.messageId = messageId;
  if (type !== undefined) hints.type = type;
  if (correlationId !== undefined) hints.correlationId = correlationId;
  return hints;
}

/**
 * Decodes and validates one JetStream message: JSON, then the catalog (subject, type,
 * envelope, data), then whether this consumer takes its type.
 *
 * @example
 * const d = decode(msg, new Set(['record.observed']));
 * if (!d.ok) msg.term();
 */
export function decode(
  msg: JsMsg,
  accepts: ReadonlySet<MessageType>,
  names: WireNames = deploymentNames(),
): Decoded {
  const payload = decoder.decode(msg.data);
  // Handlers, logs and dead letters see the contracts' subject; a foreign one fails the parse.
  const subject = names.logicalSubject(msg.subject) ?? msg.subject;
  let json: unknown;
  try {
    json = JSON.parse(payload);
  } catch (err) {
    const detail = err instanceof Error ? err.message : 'not JSON';
    return { ok: false, reason: 'bad_json', detail, payload, hints: {} };
  }
  const parsed = parseMessage(subject, json);
  if (!parsed.success) {
    return { ok: false, reason: parsed.reason, detail: parsed.detail, payload, hints: hintsOf(json) };
  }
  const message = parsed.message;
  if (!accepts.has(message.type)) {
    const detail = `consumer does not take ${message.type}`;
    return { ok: false, reason: 'unexpected_type', detail, payload, hints: hintsOf(json) };
  }
  return {
    ok: true,
    delivery: {
      message,
      subject,
      streamSeq: msg.seq,
      deliveryCount: msg.info.deliveryCount,
    },
  };
}
