import { randomBytes, randomUUID } from 'node:crypto';
import {
  AckPolicy,
  type JetStreamClient,
  type JetStreamManager,
  jetstream,
  jetstreamManager,
} from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import {
  type ConsumerDefinition,
  consumers,
  createMessage,
  type Message,
  type MessageDataInput,
  messageIds,
  parseMessage,
  streams,
} from '@pricebook/contracts';
import { createOrm, migrate, type Orm } from '@pricebook/db';
import { createLogger } from '@pricebook/logger';
import { provision } from '@pricebook/messaging';
import { StClient, type StClientOptions } from '@pricebook/st-client';
import { TenantDirectory, TenantStClients } from '@pricebook/tenants';
import {
  createTestDatabase,
  type SandboxTenant,
  type StartedSandbox,
  type StartSandboxOptions,
  startSandbox,
  startTestNats,
  stCredentials,
  type TestNats,
} from '@pricebook/testing';
import type { FetchDeps } from './fetch-sync';
import type { FetcherHandlerDeps } from './handler';

/** Test-only helpers of the fetcher's tests (not exported by the service). */

export const silentLog = createLogger({ service: 'fetcher-test', level: 'silent' });

/** The fetcher's durable with a short ack wait, so a crashed runner's command comes back quickly. */
export const testFetcherConsumer = { ...consumers.fetcher, ackWaitMs: 2_000 } satisfies ConsumerDefinition;

export interface FetcherWorld {
  sb: StartedSandbox;
  nats: TestNats;
  nc: NatsConnection;
  js: JetStreamClient;
  jsm: JetStreamManager;
  close(): Promise<void>;
}

/**
 * A sandbox tenant and a private JetStream with the engine's streams, the fetcher's durable and
 * a plain reader of the whole pipeline (the comparator and applier durables are left out so the
 * reader may take every pipeline subject of the work-queue stream).
 */
export async function startWorld(sandbox: StartSandboxOptions): Promise<FetcherWorld> {
  const [sb, nats] = await Promise.all([startSandbox(sandbox), startTestNats()]);
  const nc = await connect({ servers: nats.url, name: 'fetcher-test' });
  const jsm = await jetstreamManager(nc);
  await provision(jsm, { streams: Object.values(streams), consumers: [testFetcherConsumer] });
  await jsm.consumers.add('PRICEBOOK_PIPELINE', {
    durable_name: 'test-reader',
    filter_subject: 'pricebook.pipe.>',
    ack_policy: AckPolicy.Explicit,
  });
  return {
    sb,
    nats,
    nc,
    js: jetstream(nc),
    jsm,
    async close() {
      await nc.close();
      await Promise.all([sb.stop(), nats.close()]);
    },
  };
}

export interface TenantsWorld extends FetcherWorld {
  orm: Orm;
  /** The sandbox's first tenant is the environment's (`ST_*`); others are added with `addTenant`. */
  tenants: TenantDirectory;
  clients: TenantStClients;
  /** A new sandbox tenant with its own pricebook, added to the directory with `credentials` (its own by default). */
  addTenant(
    input: { tenantId: string; items: number; seed: number },
    credentials?: { clientSecret?: string },
  ): Promise<SandboxTenant>;
}

/**
 * A fetcher world with a migrated database of its own and the tenant directory: the sandbox's
 * first tenant is the environment's (`ST_*`), each `addTenant` a stored one, as the API adds them.
 */
export async function startTenantsWorld(sandbox: StartSandboxOptions): Promise<TenantsWorld> {
  const [world, database] = await Promise.all([startWorld(sandbox), createTestDatabase('pb_fetcher')]);
  await migrate(database.url);
  const orm = await createOrm(database.url, { poolMax: 4 });
  const { sb } = world;
  const tenants = new TenantDirectory(orm, {
    ST_TENANT_ID: sb.tenantId,
    ST_TENANT_NAME: 'Environment tenant',
    ST_CLIENT_ID: sb.clientId,
    ST_CLIENT_SECRET: sb.clientSecret,
    ST_APP_KEY: sb.appKey,
    ST_API_BASE_URL: sb.baseUrl,
    ST_AUTH_URL: sb.authUrl,
    TENANT_SECRETS_KEYS: [{ id: 'k1', key: randomBytes(32) }],
  });
  return {
    ...world,
    orm,
    tenants,
    clients: new TenantStClients({ tenants, orm, log: silentLog }),
    async addTenant(input, credentials = {}) {
      const tenant = await sb.control.createTenant(input);
      await tenants.create({
        tenantId: tenant.tenantId,
        name: `Contractor ${tenant.tenantId}`,
        clientId: tenant.clientId,
        clientSecret: credentials.clientSecret ?? tenant.clientSecret,
        appKey: tenant.appKey,
        apiBaseUrl: sb.baseUrl,
        authUrl: sb.authUrl,
      });
      return tenant;
    },
    async close() {
      await world.close();
      await orm.close();
      await database.drop();
    },
  };
}

/** The handler's dependencies for a tenants world. */
export function handlerDeps(
  world: TenantsWorld,
  extra: Partial<FetcherHandlerDeps> = {},
): FetcherHandlerDeps {
  const { st: _st, ...deps } = fetchDeps(world);
  return { ...deps, clients: world.clients, ...extra };
}

/** An ST client of the sandbox tenant. */
export function sandboxClient(sb: StartedSandbox, extra: Partial<StClientOptions> = {}): StClient {
  return new StClient({
    ...stCredentials(sb),
    ...extra,
  });
}

/** The fetch dependencies for a world. */
export function fetchDeps(world: FetcherWorld, extra: Partial<FetchDeps> = {}): FetchDeps {
  return {
    st: sandboxClient(world.sb),
    js: world.js,
    log: silentLog,
    publishConcurrency: 64,
    includeRecentChanges: true,
    ...extra,
  };
}

/** A sync command for the sandbox tenant, or `tenant` (a new sync id unless given). */
export function syncCommand(
  world: FetcherWorld,
  data: Partial<MessageDataInput<'sync.command'>> = {},
  tenant = world.sb.tenantId,
): Message<'sync.command'> {
  const syncLogId = data.syncLogId ?? randomUUID();
  return createMessage('sync.command', {
    id: messageIds.syncCommand(syncLogId),
    tenant,
    correlationId: syncLogId,
    data: { ...data, syncLogId },
  });
}

export interface Pipeline {
  observed: Message<'record.observed'>[];
  decided: Message<'record.decided'>[];
  fences: Message<'sync.fence'>[];
}

/** Takes (and acks) every message now in the pipeline stream. */
export async function drainPipeline(world: FetcherWorld): Promise<Pipeline> {
  const out: Pipeline = { observed: [], decided: [], fences: [] };
  const consumer = await world.js.consumers.get('PRICEBOOK_PIPELINE', 'test-reader');
  for (;;) {
    const { num_pending: pending, num_ack_pending: unacked } = await consumer.info();
    if (pending + unacked === 0) return out;
    const batch = await consumer.fetch({ max_messages: 1_000, expires: 1_000 });
    try {
      for await (const m of batch) {
        const parsed = parseMessage(m.subject, m.json());
        if (!parsed.success) throw new Error(`bad pipeline message: ${parsed.detail}`);
        const message = parsed.message;
        if (message.type === 'record.observed') out.observed.push(message);
        else if (message.type === 'record.decided') out.decided.push(message);
        else if (message.type === 'sync.fence') out.fences.push(message);
        await m.ackAck();
      }
    } catch (err) {
      // A loaded machine can starve the pull's heartbeats: what it held comes back; pull again.
      if (!(err instanceof Error && /heartbeats missed/.test(err.message))) throw err;
    }
  }
}

/** Messages stored in the pipeline stream now (not yet taken by the reader). */
export async function pipelineCount(world: FetcherWorld): Promise<number> {
  return (await world.jsm.streams.info('PRICEBOOK_PIPELINE')).state.messages;
}

/** Sorted numbers, for comparing id sets. */
export const sorted = (ids: Iterable<number>) => [...ids].sort((a, b) => a - b);

export { until } from '@pricebook/testing/vitest';

/** The sandbox's corrupt hook: overwrites fields of a stored record without validation. */
export async function corrupt(
  sb: StartedSandbox,
  entity: string,
  id: number,
  fields: Record<string, unknown>,
) {
  const res = await fetch(`${sb.baseUrl}/_sandbox/tenants/${sb.tenantId}/${entity}/${id}/corrupt`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ fields }),
  });
  if (!res.ok) throw new Error(`corrupt failed: ${res.status} ${await res.text()}`);
}
