import { catalog, type StreamMessageType, type StreamName } from './catalog';
import { type MessageType, messageTypes, subjectFilter, subjectPatterns } from './subjects';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** A JetStream stream, as plain data (`@pricebook/messaging` turns it into server config). */
export interface StreamDefinition {
  name: StreamName;
  description: string;
  subjects: readonly string[];
  /** `workqueue`: a message leaves once acked (or terminated); `limits`: kept until max age. */
  retention: 'workqueue' | 'limits';
  storage: 'file' | 'memory';
  /** What happens at a size limit: refuse new messages, or drop the oldest. */
  discard: 'new' | 'old';
  maxAgeMs: number;
  /** A publish repeating a `Nats-Msg-Id` seen within this window is dropped. */
  duplicateWindowMs: number;
  /** -1 for no limit. */
  maxBytes: number;
  maxMsgSize: number;
  replicas: number;
}

export interface StreamOptions {
  /** Replicas of every stream (1 on a single server, 3 on a cluster). */
  replicas?: number;
  /** How long public events are kept for late subscribers. */
  eventsMaxAgeDays?: number;
  /** How long unprocessed pipeline messages live before a stuck sync is abandoned. */
  pipelineMaxAgeHours?: number;
  /** How long unprocessed commands and inbound edits wait for a consumer. */
  commandsMaxAgeDays?: number;
  /** Size cap of the events stream; oldest events drop first. -1 for none. */
  eventsMaxBytes?: number;
}

/** Every stream subject a set of message types needs: their patterns with `*` tokens. */
function subjectsOf(stream: StreamName): string[] {
  return messageTypes.filter((t) => catalog[t].stream === stream).map((t) => subjectFilter(t));
}

/**
 * The whole namespace of a stream's types (`pricebook.events.>`): the literal tokens their patterns
 * share, then `>`. The events stream takes it because NATS 2.9 accepts a consumer filter only when
 * it lies within one stream subject or covers one: with a subject per type, the filters the docs
 * recommend (`pricebook.events.1001.>`, `pricebook.events.1001.materials.*.v1`) were refused.
 * Nothing else lands there: each NATS user may publish only its own types' subjects.
 */
function namespaceOf(stream: StreamName): string[] {
  const patterns = messageTypes.filter((t) => catalog[t].stream === stream).map((t) => subjectPatterns[t]);
  const [first = [], ...rest] = patterns.map((p) => p.split('.'));
  const shared: string[] = [];
  for (const [i, token] of first.entries()) {
    if (token.startsWith('{') || rest.some((tokens) => tokens[i] !== token)) break;
    shared.push(token);
  }
  return [[...shared, '>'].join('.')];
}

/**
 * The four streams with the given options.
 *
 * @example
 * const defs = defineStreams({ replicas: 3, eventsMaxAgeDays: 30 });
 * defs.PRICEBOOK_EVENTS.maxAgeMs; // 30 days
 */
export function defineStreams(options: StreamOptions = {}): Record<StreamName, StreamDefinition> {
  const replicas = options.replicas ?? 1;
  const maxMsgSize = 1024 * 1024;
  const queueAge = (options.commandsMaxAgeDays ?? 7) * DAY;
  return {
    PRICEBOOK_COMMANDS: {
      name: 'PRICEBOOK_COMMANDS',
      description: 'Commands from the API, the scheduler and other systems',
      subjects: subjectsOf('PRICEBOOK_COMMANDS'),
      retention: 'workqueue',
      storage: 'file',
      discard: 'new',
      maxAgeMs: queueAge,
      duplicateWindowMs: 15 * MINUTE,
      maxBytes: -1,
      maxMsgSize,
      replicas,
    },
    PRICEBOOK_PIPELINE: {
      name: 'PRICEBOOK_PIPELINE',
      description: 'Per-record pipeline: fetcher -> comparator -> applier',
      subjects: subjectsOf('PRICEBOOK_PIPELINE'),
      retention: 'workqueue',
      storage: 'file',
      discard: 'new',
      maxAgeMs: (options.pipelineMaxAgeHours ?? 48) * HOUR,
      duplicateWindowMs: 10 * MINUTE,
      maxBytes: -1,
      maxMsgSize,
      replicas,
    },
    PRICEBOOK_EVENTS: {
      name: 'PRICEBOOK_EVENTS',
      description: 'Public change and sync events; subscribe with your own durable consumer',
      subjects: namespaceOf('PRICEBOOK_EVENTS'),
      retention: 'limits',
      storage: 'file',
      discard: 'old',
      maxAgeMs: (options.eventsMaxAgeDays ?? 14) * DAY,
      duplicateWindowMs: 30 * MINUTE,
      maxBytes: options.eventsMaxBytes ?? -1,
      maxMsgSize,
      replicas,
    },
    PRICEBOOK_INBOUND: {
      name: 'PRICEBOOK_INBOUND',
      description: "Other systems' edits, applied as local edits",
      subjects: subjectsOf('PRICEBOOK_INBOUND'),
      retention: 'workqueue',
      storage: 'file',
      discard: 'new',
      maxAgeMs: queueAge,
      duplicateWindowMs: 10 * MINUTE,
      maxBytes: -1,
      maxMsgSize,
      replicas,
    },
  };
}

/**
 * The streams with default options.
 *
 * @example
 * streams.PRICEBOOK_PIPELINE.retention; // 'workqueue'
 */
export const streams = defineStreams();

/**
 * A durable pull consumer. On a work-queue stream the filters of its consumers must not
 * overlap, so each consumer takes exactly one subject filter (this also keeps to what
 * NATS 2.9 supports; `filter_subjects` needs 2.10).
 */
export interface ConsumerDefinition {
  stream: StreamName;
  /** Durable name. */
  name: string;
  /** The service that runs it. */
  service: 'fetcher' | 'comparator' | 'applier' | 'scheduler' | 'webhooks' | 'embedder';
  description: string;
  filterSubject: string;
  /** The message types it receives; anything else is poison. */
  accepts: readonly MessageType[];
  /** Redelivery after this long without ack (the runner extends it with `working()`). */
  ackWaitMs: number;
  /** Server-side cap; one above the catalog's so the runner sees the last one and records it. */
  maxDeliver: number;
  /** In flight across all replicas. */
  maxAckPending: number;
}

type ConsumerInput<T extends readonly [MessageType, ...MessageType[]]> = Omit<
  ConsumerDefinition,
  'accepts' | 'maxDeliver' | 'filterSubject' | 'stream'
> & {
  accepts: T;
  /** Needed when it takes more than one type; defaults to the one type's pattern. */
  filterSubject?: string;
};

function consumer<const T extends readonly [MessageType, ...MessageType[]]>(def: ConsumerInput<T>) {
  const [first] = def.accepts;
  const filterSubject = def.filterSubject ?? subjectFilter(first);
  const maxDeliveries = Math.max(...def.accepts.map((t) => catalog[t].retry.maxDeliveries));
  return {
    ...def,
    stream: catalog[first].stream,
    filterSubject,
    maxDeliver: maxDeliveries + 1,
  } satisfies ConsumerDefinition;
}

type PublicEventType = StreamMessageType<'PRICEBOOK_EVENTS'>;
/** Every type of the public events stream, so a new event type reaches the webhooks without a second list. */
const publicEventTypes = messageTypes.filter(
  (t): t is PublicEventType => catalog[t].stream === 'PRICEBOOK_EVENTS',
) as [PublicEventType, ...PublicEventType[]];

/**
 * The engine's own durable consumers. Their filters never overlap within a stream, and
 * every type on a work-queue stream has exactly one consumer.
 *
 * @example
 * runConsumer({ js, consumer: consumers.comparator, handler, log });
 */
export const consumers = {
  fetcher: consumer({
    name: 'fetcher',
    service: 'fetcher',
    description: 'Runs sync commands: pages through ServiceTitan and publishes observed records',
    accepts: ['sync.command'],
    // Short, because the runner keeps a command in hand alive with `working()` every third of it:
    // what it bounds is how soon a command held by a killed fetcher is delivered again.
    ackWaitMs: 30_000,
    // Sync commands held at once by every replica together: each holds FETCHER_CONCURRENCY (10),
    // one per tenant being fetched; a command beyond it waits in the stream for a free runner.
    maxAckPending: 64,
  }),
  drift: consumer({
    name: 'fetcher-drift',
    service: 'fetcher',
    description: 'Runs drift checks: reads ServiceTitan and compares it with the local copy, read only',
    accepts: ['drift.command'],
    // As the fetcher's: a check in hand is kept alive with `working()`.
    ackWaitMs: 30_000,
    maxAckPending: 16,
  }),
  comparator: consumer({
    name: 'comparator',
    service: 'comparator',
    description: 'Compares observed records with local rows and publishes decisions',
    accepts: ['record.observed'],
    ackWaitMs: 30_000,
    maxAckPending: 5_000,
  }),
  applier: consumer({
    name: 'applier',
    service: 'applier',
    description: 'Applies decisions in batches, one transaction each',
    accepts: ['record.decided'],
    ackWaitMs: 60_000,
    maxAckPending: 5_000,
  }),
  fence: consumer({
    name: 'applier-fence',
    service: 'applier',
    description: 'Closes an entity of a sync once every decision before its fence is applied',
    accepts: ['sync.fence'],
    ackWaitMs: 30_000,
    maxAckPending: 256,
  }),
  resolver: consumer({
    name: 'applier-resolve',
    service: 'applier',
    description: 'Applies conflict resolutions',
    accepts: ['resolve.command'],
    ackWaitMs: 60_000,
    maxAckPending: 256,
  }),
  pusher: consumer({
    name: 'applier-push',
    service: 'applier',
    description: 'Pushes pending local edits to ServiceTitan',
    accepts: ['push.command'],
    // As the fetcher's: a push in hand is kept alive; a killed applier's push comes back after this.
    ackWaitMs: 30_000,
    maxAckPending: 16,
  }),
  scheduler: consumer({
    name: 'scheduler',
    service: 'scheduler',
    description: 'Starts and stops the timed syncs',
    accepts: ['scheduler.command'],
    ackWaitMs: 30_000,
    maxAckPending: 16,
  }),
  inbound: consumer({
    name: 'applier-inbound',
    service: 'applier',
    description: "Applies other systems' edits and deletions as local edits, in publish order",
    accepts: ['inbound.upsert', 'inbound.delete'],
    filterSubject: 'pricebook.inbound.*.*.*.v1',
    ackWaitMs: 60_000,
    maxAckPending: 1_000,
  }),
  webhooks: consumer({
    name: 'webhooks',
    service: 'webhooks',
    description: 'Records one webhook delivery per public event and matching subscription',
    accepts: publicEventTypes,
    filterSubject: 'pricebook.events.>',
    ackWaitMs: 30_000,
    maxAckPending: 1_000,
  }),
  // The embedder reads the public events like any integrator, with its own durables: one per
  // type, because one filter cannot take created and updated without the sync events (NATS 2.9).
  embedCreated: consumer({
    name: 'embedder-created',
    service: 'embedder',
    description: 'Embeds created pricebook items for search (off the sync path)',
    accepts: ['record.created'],
    ackWaitMs: 60_000,
    maxAckPending: 2_000,
  }),
  embedUpdated: consumer({
    name: 'embedder-updated',
    service: 'embedder',
    description: 'Embeds changed pricebook items for search (off the sync path)',
    accepts: ['record.updated'],
    ackWaitMs: 60_000,
    maxAckPending: 2_000,
  }),
};

export type ConsumerKey = keyof typeof consumers;

/** The types a consumer definition accepts. */
export type AcceptedType<C extends ConsumerDefinition> = C['accepts'][number];
