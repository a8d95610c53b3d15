import { entityTypes } from '../entities';
import { catalog, type StreamName } from './catalog';
import { exampleMessages } from './examples';
import { type JsonSchema, messageJsonSchema } from './json-schema';
import { consumers, type StreamDefinition, streams } from './streams';
import { type MessageType, messageTypes, subjectPatterns } from './subjects';

/** An AsyncAPI 3.0 document as plain JSON data. */
export type AsyncApiDocument = Record<string, unknown>;

const DAY = 24 * 3_600_000;

/** What each stream is to someone outside the engine. */
const roles: Record<StreamName, string> = {
  PRICEBOOK_EVENTS: 'Public: the engine publishes, you read.',
  PRICEBOOK_INBOUND: 'Public: publish edits; the engine applies them. Never create a consumer here.',
  PRICEBOOK_COMMANDS:
    'The API and the scheduler publish, other systems may; the engine consumes. Never create a consumer here.',
  PRICEBOOK_PIPELINE: 'Internal to the engine, not a public contract; documented for operators.',
};

function age(ms: number): string {
  return ms % DAY === 0 ? `${ms / DAY} days` : `${ms / 3_600_000} hours`;
}

function streamTag(def: StreamDefinition) {
  const retention = def.retention === 'workqueue' ? 'work queue' : 'limits';
  const settings = `${retention} retention, ${def.storage} storage, kept ${age(def.maxAgeMs)} by default, duplicate window ${def.duplicateWindowMs / 60_000} minutes`;
  return {
    name: def.name,
    description: `${def.description}. ${roles[def.name]} Stream subjects: ${def.subjects.map((s) => `\`${s}\``).join(', ')}; ${settings}.`,
  };
}

/** `record.updated` → `RecordUpdated`, for operation ids code generators turn into names. */
function pascal(type: MessageType): string {
  return type
    .split('.')
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
    .join('');
}

/** Who sends and who receives each stream's messages, from the engine's side. */
const actions: Record<StreamName, ReadonlyArray<'send' | 'receive'>> = {
  PRICEBOOK_EVENTS: ['send'],
  PRICEBOOK_INBOUND: ['receive'],
  PRICEBOOK_COMMANDS: ['send', 'receive'],
  PRICEBOOK_PIPELINE: ['send', 'receive'],
};

function channel(type: MessageType) {
  const address = subjectPatterns[type];
  const { stream, description } = catalog[type];
  return {
    address,
    title: type,
    description: `${description} On stream \`${stream}\`.`,
    parameters: {
      tenant: { $ref: '#/components/parameters/tenant' },
      ...(address.includes('{entity}') ? { entity: { $ref: '#/components/parameters/entity' } } : {}),
    },
    messages: { [type]: { $ref: `#/components/messages/${type}` } },
    tags: [{ name: stream }],
    'x-stream': stream,
  };
}

/** How the engine takes a message it receives: its durable and retry policy. */
function consumedBy(type: MessageType): string {
  const durable = Object.values(consumers).find((c) => c.accepts.some((t) => t === type));
  if (!durable) throw new Error(`no durable consumer takes ${type}`);
  const { maxDeliveries } = catalog[type].retry;
  return `The engine consumes it through its durable \`${durable.name}\`: at most ${maxDeliveries} deliveries, then it is terminated and recorded.`;
}

function operations(type: MessageType): Array<[string, Record<string, unknown>]> {
  const { stream } = catalog[type];
  return actions[stream].map((action) => {
    const by =
      action === 'send'
        ? 'The engine publishes it, with the `Nats-Msg-Id` header set to the envelope `id`.'
        : consumedBy(type);
    return [
      `${action}${pascal(type)}`,
      {
        action,
        channel: { $ref: `#/channels/${type}` },
        title: `${action === 'send' ? 'Send' : 'Receive'} ${type}`,
        summary: catalog[type].description,
        description: by,
        messages: [{ $ref: `#/channels/${type}/messages/${type}` }],
        tags: [{ name: stream }],
      },
    ];
  });
}

function message(type: MessageType) {
  const example = exampleMessages[type];
  return {
    name: type,
    title: type,
    summary: catalog[type].description,
    contentType: 'application/json',
    correlationId: {
      description:
        'The sync id for anything a sync did; otherwise the id of the request that started the work.',
      location: '$message.payload#/correlationId',
    },
    headers: {
      type: 'object',
      properties: {
        'Nats-Msg-Id': {
          type: 'string',
          description: 'The envelope `id`: a publish repeated within the duplicate window is stored once.',
        },
      },
    },
    payload: { $ref: `#/components/schemas/${type}` },
    examples: [{ name: type, headers: { 'Nats-Msg-Id': example.id }, payload: example }],
  };
}

/** The type's JSON Schema as an AsyncAPI schema object (draft-07 is its default format's base). */
function payloadSchema(type: MessageType): JsonSchema {
  const { $schema: _draft, ...schema } = messageJsonSchema(type);
  return schema;
}

const info = {
  title: 'Pricebook Sync Engine messages',
  version: '1.0.0',
  description: [
    'Every message the Pricebook Sync Engine publishes or consumes on NATS JetStream, generated from its zod contracts',
    '(`packages/contracts/src/messaging`). Channels are subject patterns: `{tenant}` is the ServiceTitan tenant id',
    '(digits), `{entity}` a pricebook entity type. Operations are the engine’s: `send` means the engine publishes',
    'the message (you receive it), `receive` that the engine consumes it (you may send it). Tags name the JetStream',
    'stream that stores a channel. A deployment with `NATS_DEPLOYMENT` set prefixes every subject with',
    '`<deployment>.` and every stream with `<DEPLOYMENT>_`; the messages are unchanged. Guide: docs/events.md.',
  ].join(' '),
  tags: Object.values(streams).map(streamTag),
};

/**
 * The AsyncAPI 3.0 document of the engine's messages: one channel per subject pattern (with its
 * `{tenant}` and `{entity}` parameters), the engine's send and receive operations, every message
 * with its envelope schema and its example. Served at `GET /asyncapi.json` and committed as
 * `docs/asyncapi.json` (`pnpm --filter @pricebook/contracts asyncapi`).
 *
 * @example
 * const doc = asyncApiDocument();
 * doc.channels['record.updated'].address; // 'pricebook.events.{tenant}.{entity}.updated.v1'
 */
export function asyncApiDocument(): AsyncApiDocument {
  const byType = <V>(fn: (type: MessageType) => V) => Object.fromEntries(messageTypes.map((t) => [t, fn(t)]));
  return {
    asyncapi: '3.0.0',
    id: 'urn:pricebook-sync-engine:messages',
    info,
    defaultContentType: 'application/json',
    servers: {
      nats: {
        host: 'localhost:4222',
        protocol: 'nats',
        description:
          "Your deployment's NATS server; sign in with the `integrator` user (docs/operations.md).",
        security: [{ $ref: '#/components/securitySchemes/user' }],
      },
    },
    channels: byType(channel),
    operations: Object.fromEntries(messageTypes.flatMap(operations)),
    components: {
      schemas: byType(payloadSchema),
      messages: byType(message),
      parameters: {
        tenant: { description: 'The ServiceTitan tenant id (digits).', examples: ['1001'] },
        entity: {
          description: 'The pricebook entity type.',
          enum: [...entityTypes],
          examples: ['materials'],
        },
      },
      securitySchemes: {
        user: { type: 'userPassword', description: 'A user of the NATS server config.' },
      },
    },
  };
}
