import {
  type ConsumerDefinition,
  catalog,
  consumers,
  deploymentNames,
  type MessageType,
  messageTypes,
  type StreamName,
  schedulerState,
  streams,
  subjectFilter,
  type WireNames,
} from '@pricebook/contracts';

/** The engine's services, each its own NATS user. */
export const natsServices = [
  'api',
  'fetcher',
  'comparator',
  'applier',
  'scheduler',
  'webhooks',
  'embedder',
] as const;
export type NatsService = (typeof natsServices)[number];

/** Every user of the shipped server config: the services, other systems, and provisioning. */
export const natsUsers = [...natsServices, 'integrator', 'admin'] as const;
export type NatsUser = (typeof natsUsers)[number];

/** Allow and deny lists of one direction; a subject matching both is denied. */
export interface SubjectRules {
  allow: string[];
  deny: string[];
}

export interface NatsPermissions {
  publish: SubjectRules;
  subscribe: SubjectRules;
}

/**
 * The private inbox prefix of a user: its replies (publish acks, pulled messages, API answers)
 * arrive under `<prefix>.>`, which no other user may subscribe to. `_INBOX.>` would let any
 * user read every other user's replies.
 *
 * @example
 * connectNats({ url, name: 'api', log, inboxPrefix: inboxPrefixOf('api') }); // '_INBOX_api'
 */
export function inboxPrefixOf(user: NatsUser, names: WireNames = deploymentNames()): string {
  return `_INBOX_${names.user(user)}`;
}

// Every writer relays the outbox, so the public events never wait for one process to be up.
const publicEvents = messageTypes.filter((t) => catalog[t].stream === 'PRICEBOOK_EVENTS');

/**
 * The types each service publishes. Every writer (api, scheduler, applier) relays the outbox's
 * public events and the commands it may send; the applier relays every row.
 */
const publishes: Record<NatsService, readonly MessageType[]> = {
  api: [...publicEvents, 'sync.command', 'resolve.command', 'drift.command'],
  fetcher: ['record.observed', 'record.decided', 'sync.fence'],
  comparator: ['record.decided'],
  applier: [
    ...publicEvents,
    'sync.command',
    'resolve.command',
    'push.command',
    // A stale decision is sent back through the comparator.
    'record.observed',
  ],
  scheduler: [...publicEvents, 'scheduler.command', 'sync.command', 'drift.command'],
  // It only reads the public events, through its own durable.
  webhooks: [],
  // It only reads the public events and writes vectors, which announce nothing.
  embedder: [],
};

/**
 * The message types a service's NATS user may publish; a writer's outbox relay claims only these.
 *
 * @example
 * startRelay({ orm, js, log, types: publishedTypes('scheduler') });
 */
export function publishedTypes(service: NatsService): readonly MessageType[] {
  return publishes[service];
}

/**
 * Streams whose info (message counts, per subject with a filter) a service reads. The fetcher
 * reads a tenant's backlog in the pipeline before it publishes more of that tenant's records.
 */
const streamInfoReaders: Partial<Record<NatsService, readonly StreamName[]>> = {
  fetcher: ['PRICEBOOK_PIPELINE'],
};

/** Services that read and write the scheduler's start/stop switch (a KV bucket). */
const schedulerStateUsers: ReadonlySet<NatsUser> = new Set(['api', 'scheduler']);

/**
 * The stream behind the scheduler's KV bucket.
 *
 * @example
 * schedulerStateStream(); // 'KV_pricebook_scheduler'
 */
export function schedulerStateStream(names: WireNames = deploymentNames()): string {
  return `KV_${names.bucket(schedulerState.bucket)}`;
}

/** The durables of one service, from the contracts. */
export function consumersOf(service: NatsService): ConsumerDefinition[] {
  return Object.values(consumers).filter((c) => c.service === service);
}

/** Binding to an existing durable: read its info, pull from it, settle what it delivered. */
function bindTo(stream: string, consumer: string): string[] {
  return [
    `$JS.API.CONSUMER.INFO.${stream}.${consumer}`,
    `$JS.API.CONSUMER.MSG.NEXT.${stream}.${consumer}`,
    `$JS.ACK.${stream}.${consumer}.>`,
  ];
}

/**
 * The KV bucket's own stream only: open it, get and put keys, and watch one (an ordered push
 * consumer on that stream, delivered to the user's inbox, with flow control).
 */
function schedulerStateAccess(names: WireNames): string[] {
  const s = schedulerStateStream(names);
  return [
    `$KV.${names.bucket(schedulerState.bucket)}.>`,
    `$JS.API.STREAM.INFO.${s}`,
    `$JS.API.STREAM.MSG.GET.${s}`,
    `$JS.API.DIRECT.GET.${s}`,
    `$JS.API.DIRECT.GET.${s}.>`,
    `$JS.API.CONSUMER.CREATE.${s}`,
    `$JS.API.CONSUMER.CREATE.${s}.>`,
    `$JS.API.CONSUMER.DELETE.${s}.*`,
    `$JS.API.CONSUMER.INFO.${s}.*`,
    `$JS.FC.${s}.>`,
  ];
}

/**
 * Never granted to a service or an integrator, whatever the allow lists say (deny wins): managing
 * the engine's streams and their consumers is provisioning's job (the admin user). A consumer of
 * one's own could filter subjects one may not read (nats-server#3295) or deliver them anywhere.
 */
function publishDenied(names: WireNames): string[] {
  const engineStreams = (Object.keys(streams) as StreamName[]).map(names.stream);
  return [
    '$JS.API.STREAM.CREATE.>',
    '$JS.API.STREAM.UPDATE.>',
    '$JS.API.STREAM.DELETE.>',
    '$JS.API.STREAM.PURGE.>',
    '$JS.API.STREAM.MSG.DELETE.>',
    ...engineStreams.flatMap((s) => [
      `$JS.API.CONSUMER.CREATE.${s}`,
      `$JS.API.CONSUMER.CREATE.${s}.>`,
      `$JS.API.CONSUMER.DURABLE.CREATE.${s}.>`,
      `$JS.API.CONSUMER.DELETE.${s}.>`,
    ]),
  ];
}

/** Raw stream subjects and other users' inboxes are never subscribed to: everything arrives through JetStream. */
const subscribeDenied = (names: WireNames) => ['_INBOX.>', names.subject('pricebook.>'), '$KV.>', '$JS.>'];

/**
 * What each user of the shipped NATS config may do, derived from the contracts: a service
 * publishes only its own message types and binds only to its own durables; the `integrator`
 * publishes inbound edits and reads `PRICEBOOK_EVENTS` through durables provisioning made for
 * it; `admin` (provisioning) may do anything and is given no lists.
 *
 * @example
 * natsPermissions('comparator').publish.allow; // ['$JS.API.INFO', 'pricebook.pipe.*.*.decided.v1', …]
 */
export function natsPermissions(
  user: Exclude<NatsUser, 'admin'>,
  names: WireNames = deploymentNames(),
): NatsPermissions {
  const common = ['$JS.API.INFO'];
  const deny = { publish: publishDenied(names), subscribe: subscribeDenied(names) };
  const inbox = [`${inboxPrefixOf(user, names)}.>`];
  const filter = (type: MessageType) => names.subject(subjectFilter(type));
  if (user === 'integrator') {
    const events = names.stream('PRICEBOOK_EVENTS');
    return {
      publish: {
        allow: [
          ...common,
          ...messageTypes.filter((t) => catalog[t].stream === 'PRICEBOOK_INBOUND').map(filter),
          `$JS.API.STREAM.INFO.${events}`,
          ...bindTo(events, '*'),
        ],
        deny: deny.publish,
      },
      subscribe: { allow: inbox, deny: deny.subscribe },
    };
  }
  return {
    publish: {
      allow: [
        ...common,
        ...publishes[user].map(filter),
        ...consumersOf(user).flatMap((c) => bindTo(names.stream(c.stream), names.durable(c.name))),
        ...(streamInfoReaders[user] ?? []).map((s) => `$JS.API.STREAM.INFO.${names.stream(s)}`),
        ...(schedulerStateUsers.has(user) ? schedulerStateAccess(names) : []),
      ],
      deny: deny.publish,
    },
    subscribe: { allow: inbox, deny: deny.subscribe },
  };
}

/**
 * The environment variable the shipped config reads a user's password from.
 *
 * @example
 * passwordVariableOf('integrator'); // 'NATS_INTEGRATOR_PASSWORD'
 */
export function passwordVariableOf(user: NatsUser, names: WireNames = deploymentNames()): string {
  return `NATS_${names.user(user).toUpperCase().replaceAll('-', '_')}_PASSWORD`;
}
