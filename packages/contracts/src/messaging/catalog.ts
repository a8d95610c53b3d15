import { z } from 'zod';
import { type EnvelopeInput, envelope } from './envelope';
import {
  ChangeSetRevertedData,
  DriftCommandData,
  InboundDeleteData,
  InboundUpsertData,
  PushCommandData,
  RecordConflictedData,
  RecordCreatedData,
  RecordDecidedData,
  RecordDeletedData,
  RecordObservedData,
  RecordResolvedData,
  RecordUpdatedData,
  ResolveCommandData,
  SchedulerCommandData,
  SyncCommandData,
  SyncCompletedData,
  SyncFailedData,
  SyncFenceData,
  SyncProgressData,
  SyncStartedData,
} from './payloads';
import {
  type MessageType,
  messageTypes,
  parseSubject,
  type SubjectParams,
  subjectFor,
  subjectPatterns,
} from './subjects';

/** The four streams, by name. */
export type StreamName =
  | 'PRICEBOOK_COMMANDS'
  | 'PRICEBOOK_PIPELINE'
  | 'PRICEBOOK_EVENTS'
  | 'PRICEBOOK_INBOUND';

/**
 * How often a failing message is tried and how long to wait between tries.
 * Delivery `n` that fails is retried after `backoffMs[n - 1]` (the last value repeats).
 * After `maxDeliveries` failed deliveries the message is terminated and recorded.
 */
export interface RetryPolicy {
  maxDeliveries: number;
  backoffMs: readonly number[];
}

export interface CatalogEntry {
  stream: StreamName;
  data: z.ZodType;
  retry: RetryPolicy;
  description: string;
}

const commandRetry = { maxDeliveries: 5, backoffMs: [2_000, 10_000, 30_000, 60_000] } as const;
const pipelineRetry = {
  maxDeliveries: 10,
  backoffMs: [1_000, 2_000, 5_000, 10_000, 30_000, 60_000],
} as const;
/** A fence waits (retryable) until every decision before it is applied, so it may come back often. */
const fenceRetry = { maxDeliveries: 200, backoffMs: [500, 1_000, 2_000, 5_000] } as const;
/** What the engine suggests to event subscribers; it does not consume its own events. */
const eventRetry = { maxDeliveries: 10, backoffMs: [1_000, 5_000, 30_000, 60_000] } as const;
const inboundRetry = { maxDeliveries: 8, backoffMs: [1_000, 5_000, 15_000, 60_000] } as const;

/**
 * The message catalog: every message type with its stream, data schema and retry policy.
 * The subject pattern of each type is {@link subjectPatterns}.
 *
 * @example
 * catalog['record.observed'].data.parse(payload.data);
 * catalog['sync.command'].retry.maxDeliveries; // 5
 */
export const catalog = {
  'sync.command': {
    stream: 'PRICEBOOK_COMMANDS',
    data: SyncCommandData,
    retry: commandRetry,
    description: 'Run one sync; consumed by the fetcher.',
  },
  'resolve.command': {
    stream: 'PRICEBOOK_COMMANDS',
    data: ResolveCommandData,
    retry: commandRetry,
    description: 'Settle one conflict; consumed by the applier.',
  },
  'push.command': {
    stream: 'PRICEBOOK_COMMANDS',
    data: PushCommandData,
    retry: commandRetry,
    description: 'Send pending local edits to ServiceTitan; consumed by the applier.',
  },
  'scheduler.command': {
    stream: 'PRICEBOOK_COMMANDS',
    data: SchedulerCommandData,
    retry: commandRetry,
    description: 'Start or stop the timed syncs; consumed by the scheduler.',
  },
  'drift.command': {
    stream: 'PRICEBOOK_COMMANDS',
    data: DriftCommandData,
    retry: commandRetry,
    description:
      'Compare ServiceTitan with the local copy and store a drift report; consumed by the fetcher.',
  },
  'record.observed': {
    stream: 'PRICEBOOK_PIPELINE',
    data: RecordObservedData,
    retry: pipelineRetry,
    description: 'One ST record as fetched; consumed by the comparator.',
  },
  'record.decided': {
    stream: 'PRICEBOOK_PIPELINE',
    data: RecordDecidedData,
    retry: pipelineRetry,
    description: 'What to do with one record; consumed by the applier.',
  },
  'sync.fence': {
    stream: 'PRICEBOOK_PIPELINE',
    data: SyncFenceData,
    retry: fenceRetry,
    description: 'Everything of one entity was published; consumed by the applier.',
  },
  'record.created': {
    stream: 'PRICEBOOK_EVENTS',
    data: RecordCreatedData,
    retry: eventRetry,
    description: 'A pricebook row was created.',
  },
  'record.updated': {
    stream: 'PRICEBOOK_EVENTS',
    data: RecordUpdatedData,
    retry: eventRetry,
    description: 'A pricebook row was changed.',
  },
  'record.deleted': {
    stream: 'PRICEBOOK_EVENTS',
    data: RecordDeletedData,
    retry: eventRetry,
    description: 'A pricebook row was deleted.',
  },
  'record.conflicted': {
    stream: 'PRICEBOOK_EVENTS',
    data: RecordConflictedData,
    retry: eventRetry,
    description: 'A row has a conflict waiting for a person.',
  },
  'record.resolved': {
    stream: 'PRICEBOOK_EVENTS',
    data: RecordResolvedData,
    retry: eventRetry,
    description: 'A conflict was settled.',
  },
  'sync.started': {
    stream: 'PRICEBOOK_EVENTS',
    data: SyncStartedData,
    retry: eventRetry,
    description: 'A sync started.',
  },
  'sync.progress': {
    stream: 'PRICEBOOK_EVENTS',
    data: SyncProgressData,
    retry: eventRetry,
    description: 'A sync’s counters moved.',
  },
  'sync.completed': {
    stream: 'PRICEBOOK_EVENTS',
    data: SyncCompletedData,
    retry: eventRetry,
    description: 'A sync finished.',
  },
  'sync.failed': {
    stream: 'PRICEBOOK_EVENTS',
    data: SyncFailedData,
    retry: eventRetry,
    description: 'A sync failed.',
  },
  'changeset.reverted': {
    stream: 'PRICEBOOK_EVENTS',
    data: ChangeSetRevertedData,
    retry: eventRetry,
    description: 'A change-set was reverted: its before-values were written back as local edits.',
  },
  'inbound.upsert': {
    stream: 'PRICEBOOK_INBOUND',
    data: InboundUpsertData,
    retry: inboundRetry,
    description: 'Another system creates or edits a row.',
  },
  'inbound.delete': {
    stream: 'PRICEBOOK_INBOUND',
    data: InboundDeleteData,
    retry: inboundRetry,
    description: 'Another system deletes a row.',
  },
} as const satisfies { [K in MessageType]: CatalogEntry };

type Catalog = typeof catalog;

/** The parsed `data` of a message type. */
export type MessageData<T extends MessageType> = z.output<Catalog[T]['data']>;
/** What a publisher may give as `data` (defaults not yet applied). */
export type MessageDataInput<T extends MessageType> = z.input<Catalog[T]['data']>;

/** One message of type `T` (a union when `T` is a union, discriminated by `type`). */
export type Message<T extends MessageType = MessageType> = {
  [K in T]: {
    id: string;
    type: K;
    version: 1;
    occurredAt: string;
    tenant: string;
    correlationId: string;
    causationId: string | null;
    data: MessageData<K>;
  };
}[T];

/** The message types carried by one stream. */
export type StreamMessageType<S extends StreamName> = {
  [K in MessageType]: Catalog[K]['stream'] extends S ? K : never;
}[MessageType];

/**
 * A handler per message type. The map must be exhaustive: the compiler refuses one
 * that misses a type (and, as an object literal, one that names a type it does not take).
 *
 * @example
 * const handlers: Handlers<'record.decided' | 'sync.fence'> = {
 *   'record.decided': async (m) => apply(m.data),
 *   'sync.fence': async (m) => closeEntity(m.data),
 * };
 */
export type Handlers<T extends MessageType = MessageType, Ctx = void, R = void> = {
  [K in T]: (message: Message<K>, context: Ctx) => R | Promise<R>;
};

const schemas = new Map<MessageType, z.ZodType>(
  messageTypes.map((type) => [type, envelope(catalog[type].data).extend({ type: z.literal(type) })]),
);

/**
 * The full envelope schema of one message type.
 *
 * @example
 * const m = messageSchema('sync.fence').parse(json); // m.data.published is a number
 */
export function messageSchema<T extends MessageType>(type: T): z.ZodType<Message<T>> {
  const schema = schemas.get(type);
  if (!schema) throw new Error(`no schema for message type ${type}`);
  return schema as z.ZodType<Message<T>>;
}

/**
 * Whether a value names a catalog message type.
 *
 * @example
 * isMessageType('record.updated'); // true
 */
export function isMessageType(value: unknown): value is MessageType {
  return typeof value === 'string' && Object.hasOwn(subjectPatterns, value);
}

export type ParseResult =
  | { success: true; message: Message }
  | { success: false; reason: ParseFailure; detail: string; type?: MessageType };

export type ParseFailure = 'unknown_subject' | 'unknown_type' | 'subject_mismatch' | 'invalid_payload';

function summarize(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`)
    .join('; ');
}

/**
 * Parses one received payload (already JSON-decoded) against the catalog: the subject
 * names the type, the envelope must agree with the subject (type, tenant, entity), and
 * the data must match the type's schema.
 *
 * @example
 * const r = parseMessage(msg.subject, JSON.parse(text));
 * if (!r.success) term(r.reason, r.detail);
 */
export function parseMessage(subject: string, payload: unknown): ParseResult {
  const parsed = parseSubject(subject);
  if (!parsed)
    return { success: false, reason: 'unknown_subject', detail: `not a pricebook subject: ${subject}` };
  const declared = typeof payload === 'object' && payload !== null ? Reflect.get(payload, 'type') : undefined;
  if (!isMessageType(declared)) {
    return { success: false, reason: 'unknown_type', detail: `unknown message type: ${String(declared)}` };
  }
  if (declared !== parsed.type) {
    const detail = `type ${declared} published on a ${parsed.type} subject`;
    return { success: false, reason: 'subject_mismatch', detail, type: declared };
  }
  const result = messageSchema(parsed.type).safeParse(payload);
  if (!result.success) {
    return { success: false, reason: 'invalid_payload', detail: summarize(result.error), type: parsed.type };
  }
  const message = result.data;
  const entity = Reflect.get(message.data, 'entity');
  if (message.tenant !== parsed.tenant || (parsed.entity !== undefined && entity !== parsed.entity)) {
    const detail = `envelope tenant/entity ${message.tenant}/${String(entity)} differ from the subject's`;
    return { success: false, reason: 'subject_mismatch', detail, type: parsed.type };
  }
  return { success: true, message };
}

/**
 * Builds and validates a message (applying the schema's defaults). Throws a `ZodError`
 * when the input is not valid.
 *
 * @example
 * const cmd = createMessage('sync.command', {
 *   id: messageIds.syncCommand(syncLogId), tenant: '1001', correlationId: syncLogId,
 *   data: { syncLogId, fullSync: true },
 * });
 */
export function createMessage<T extends MessageType>(
  type: T,
  input: EnvelopeInput & { data: MessageDataInput<T> },
): Message<T> {
  return messageSchema(type).parse({
    id: input.id,
    type,
    version: 1,
    occurredAt: input.occurredAt ?? new Date().toISOString(),
    tenant: input.tenant,
    correlationId: input.correlationId,
    causationId: input.causationId ?? null,
    data: input.data,
  });
}

/**
 * The subject a message is published on: its type's pattern with its tenant and, for
 * entity-scoped types, `data.entity`.
 *
 * @example
 * messageSubject(exampleMessages['record.updated']); // 'pricebook.events.1001.materials.updated.v1'
 */
export function messageSubject(message: Message): string {
  const params = { tenant: message.tenant, entity: Reflect.get(message.data, 'entity') };
  return subjectFor(message.type, params as SubjectParams<MessageType>);
}
