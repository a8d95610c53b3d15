import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type JetStreamClient, jetstream } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import {
  consumers,
  createMessage,
  exampleMessages,
  type Message,
  type WebhookEventType,
} from '@pricebook/contracts';
import { createOrm, type Orm } from '@pricebook/db';
import { createLogger } from '@pricebook/logger';
import { publish, runConsumer } from '@pricebook/messaging';
import { SecretBox } from '@pricebook/tenants';
import { newWebhookSecret, webhookSecretBinding } from '@pricebook/webhooks';
import { onTestFinished } from 'vitest';
import { type DispatcherOptions, startDispatcher } from './dispatcher';
import { recordDeliveries } from './intake';

/** Test-only helpers of the webhooks service's tests (not exported by the service). */

export const tenant = '1000001';
export const silentLog = createLogger({ service: 'webhooks-test', level: 'silent' });
/** The key the tests' subscriptions are sealed with, and the box that holds only it. */
export const testKey = { id: 'k1', key: randomBytes(32) };
export const box = new SecretBox([testKey]);

/** One request a receiver got. */
export interface Received {
  headers: IncomingHttpHeaders;
  body: string;
  status: number;
}

/** What the receiver answers next: a status, or a status with headers and a body. */
export type Reply = number | { status: number; headers?: Record<string, string>; body?: string };

/**
 * A local HTTP receiver on a fixed port that can be taken down (connections refused) and brought
 * back, answering each request with `reply()`.
 */
export class Receiver {
  readonly received: Received[] = [];
  reply: () => Reply = () => 204;
  #server: Server | undefined;
  #port = 0;

  get url(): string {
    return `http://127.0.0.1:${this.#port}/hook`;
  }

  async start(): Promise<void> {
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const r = this.reply();
        const { status, headers = {}, body } = typeof r === 'number' ? { status: r } : r;
        this.received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8'), status });
        res.writeHead(status, headers).end(body);
      });
    });
    await new Promise<void>((resolve) => server.listen(this.#port, '127.0.0.1', resolve));
    this.#port = (server.address() as AddressInfo).port;
    this.#server = server;
  }

  async stop(): Promise<void> {
    const server = this.#server;
    this.#server = undefined;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

/** Inserts an active subscription as the API does (its secret sealed); returns its id and secret. */
export async function subscribe(
  orm: Orm,
  url: string,
  eventTypes: WebhookEventType[],
  options: { entityTypes?: string[]; tenantId?: string } = {},
): Promise<{ id: string; secret: string }> {
  const id = randomUUID();
  const secret = newWebhookSecret();
  const tenantId = options.tenantId ?? tenant;
  await orm.em.fork().execute(
    `insert into pricebook_webhook_subscriptions (id, tenant_id, url, event_types, entity_types, secret, secrets_key_id)
     values (?, ?, ?, ?::text[], ?::text[], ?, ?)`,
    [
      id,
      tenantId,
      url,
      `{${eventTypes.join(',')}}`,
      options.entityTypes ? `{${options.entityTypes.join(',')}}` : null,
      box.seal(secret, webhookSecretBinding(tenantId, id)),
      box.currentKeyId,
    ],
  );
  return { id, secret };
}

/** A `record.updated` event (the contracts' example) with its own id, of the test tenant. */
export function updatedEvent(n: number, entity: 'materials' | 'services' = 'materials'): Message {
  const example = exampleMessages['record.updated'];
  return createMessage('record.updated', {
    id: `evt:${randomUUID()}:${n}`,
    tenant,
    correlationId: example.correlationId,
    data: { ...example.data, entity },
  });
}

export function conflictEvent(): Message {
  const example = exampleMessages['record.conflicted'];
  return createMessage('record.conflicted', {
    id: `evt:${randomUUID()}:conflict`,
    tenant,
    correlationId: example.correlationId,
    data: example.data,
  });
}

export async function publishEvents(js: JetStreamClient, events: readonly Message[]): Promise<void> {
  for (const event of events) await publish(js, event);
}

/** Polls until `check` is true (tests only; the limit turns a hang into a failure). */
export async function until(check: () => boolean | Promise<boolean>, what: string, limitMs = 30_000) {
  const end = Date.now() + limitMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * The service's two halves against a test's database and NATS: the intake consumer and the
 * dispatcher, with quick settings (private URLs allowed, polling every 20 ms). Both stop when the
 * test ends, so the next test's settings hold alone.
 *
 * @example
 * const { orm, nc } = await startDeliveryWorld(database.url, nats.url, { schedule: [0, 100] });
 */
export async function startDeliveryWorld(
  databaseUrl: string,
  natsUrl: string,
  overrides: Partial<DispatcherOptions> = {},
): Promise<{ orm: Orm; nc: NatsConnection; js: JetStreamClient }> {
  const orm = await createOrm(databaseUrl, { poolMax: 4 });
  const nc = await connect({ servers: natsUrl });
  const js = jetstream(nc);
  const consumer = runConsumer({
    js,
    log: silentLog,
    consumer: consumers.webhooks,
    handler: recordDeliveries(orm),
  });
  const dispatcher = startDispatcher({
    orm,
    log: silentLog,
    box,
    schedule: [0, 100, 200, 300],
    disableAfterMs: 3_600_000,
    timeoutMs: 2_000,
    allowPrivate: true,
    concurrency: 8,
    pollMs: 20,
    ...overrides,
  });
  onTestFinished(async () => {
    await Promise.all([consumer.stop(), dispatcher.stop()]);
    await nc.close();
    await orm.close();
  });
  return { orm, nc, js };
}
