import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import { type JetStreamClient, jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import type { Message } from '@pricebook/contracts';
import { createOrm, migrate, type Orm } from '@pricebook/db';
import type { Embedder } from '@pricebook/embeddings';
import { createLogger, type Logger } from '@pricebook/logger';
import { provision, publish } from '@pricebook/messaging';
import type { EngineMetrics } from '@pricebook/observability';
import type { SchedulerStateStore } from '@pricebook/schedule';
import {
  parseSecretsKeys,
  SecretBox,
  TenantDirectory,
  type TenantsEnv,
  tenantsEnvFields,
} from '@pricebook/tenants';
import { createTestDatabase, startTestNats, type TestDatabase, type TestNats } from '@pricebook/testing';
import { z } from 'zod';
import { createApp } from '../app';
import type { ApiApp, AppDeps, CommandPublisher } from '../context';
import type { ApiConfig } from '../env';

/** One key per role (test values, long enough for the key rules). */
export const keys = {
  viewer: 'viewer-key-0123456789abcdef',
  operator: 'operator-key-0123456789abcdef',
  admin: 'admin-key-0123456789abcdef',
} as const;

export interface TestNatsClient {
  server: TestNats;
  nc: NatsConnection;
  js: JetStreamClient;
}

export interface Harness {
  db: TestDatabase;
  orm: Orm;
  nats: TestNatsClient | undefined;
  /** Every JSON line the apps logged. */
  lines: Array<Record<string, unknown>>;
  log: Logger;
  /** Commands the recording publisher received (apps built without NATS). */
  published: Array<Message<'sync.command'>>;
  /** A new tenant id: tests never share run locks or rows. */
  tenant(): string;
  /**
   * The tenant directory of an app whose environment's tenant is `tenantId` (none with `null`),
   * sealing with the harness's `TENANT_SECRETS_KEYS`, so tenants it adds are every app's.
   */
  directory(tenantId?: string | null): TenantDirectory;
  app(options?: AppOptions): ApiApp;
  sql<T = Record<string, unknown>>(query: string, params?: unknown[]): Promise<T[]>;
  close(): Promise<void>;
}

export interface AppOptions {
  /** The environment's tenant (`ST_TENANT_ID`, default 1001); `null` for a deployment without one. */
  tenantId?: string | null;
  /** The registry `/metrics` serves (default: one of the app's own). */
  metrics?: EngineMetrics;
  config?: Partial<ApiConfig>;
  publish?: CommandPublisher;
  natsHealth?: () => Promise<void>;
  /** Each tenant's scheduler KV switch (tests with NATS open it with `openSchedulerState`). */
  schedulerState?: (tenantId: string) => Promise<SchedulerStateStore>;
  /** Another ORM (e.g. a closed one, to provoke a failure). */
  orm?: Orm;
  /** Another tenant directory (default: `directory(tenantId)`). */
  tenants?: TenantDirectory;
  /** Embeds search queries (default: none, as without a provider). */
  embedder?: Embedder;
}

/**
 * A migrated database of the test file's own, optionally a JetStream server with the engine's
 * streams and consumers, and apps wired to them.
 */
export async function startHarness(options: { nats?: boolean } = {}): Promise<Harness> {
  const db = await createTestDatabase('pb_api');
  await migrate(db.url);
  const orm = await createOrm(db.url, { poolMax: 6 });
  let nats: TestNatsClient | undefined;
  if (options.nats) {
    const server = await startTestNats();
    const nc = await connect({ servers: server.url, maxReconnectAttempts: -1, reconnectTimeWait: 250 });
    await provision(await jetstreamManager(nc));
    nats = { server, nc, js: jetstream(nc) };
  }
  const lines: Array<Record<string, unknown>> = [];
  const destination = new Writable({
    write(chunk, _enc, done) {
      for (const line of String(chunk).split('\n')) if (line) lines.push(JSON.parse(line));
      done();
    },
  });
  const log = createLogger({ service: 'api-test', level: 'debug', destination });
  const published: Array<Message<'sync.command'>> = [];
  // Each test file has its own database, so tenant ids only need to differ within a file.
  let next = 2001;
  // Parsed as the services parse their environment.
  const secretsKeys = `test:${randomBytes(32).toString('base64')}`;
  const webhookSecrets = new SecretBox(parseSecretsKeys(secretsKeys).keys);
  const directory = (tenantId: string | null = '1001') => {
    const env: TenantsEnv = z.object(tenantsEnvFields).parse({
      ...(tenantId === null ? {} : { ST_TENANT_ID: tenantId }),
      TENANT_SECRETS_KEYS: secretsKeys,
    });
    return new TenantDirectory(orm, env);
  };

  const defaultPublish: CommandPublisher = nats
    ? async (m) => {
        await publish(nats.js, m, { timeoutMs: 5_000 });
      }
    : async (m) => {
        if (m.type === 'sync.command') published.push(m);
      };

  return {
    db,
    orm,
    nats,
    lines,
    log,
    published,
    tenant: () => String(next++),
    directory,
    app(o = {}) {
      const config: ApiConfig = {
        apiKeys: [
          { role: 'viewer', key: keys.viewer },
          { role: 'operator', key: keys.operator },
          { role: 'admin', key: keys.admin },
        ],
        scheduler: { enabled: true, fullCron: '0 2 * * *', incrementalCron: '0 */6 * * *', timezone: 'UTC' },
        waitTimeoutMs: 60_000,
        waitPollMs: 20,
        runStaleAfterMs: 600_000,
        ...o.config,
      };
      const deps: AppDeps = {
        ...(o.schedulerState ? { schedulerState: o.schedulerState } : {}),
        ...(o.metrics ? { metrics: o.metrics } : {}),
        ...(o.embedder ? { embedder: o.embedder } : {}),
        orm: o.orm ?? orm,
        log,
        config,
        webhookSecrets,
        tenants: o.tenants ?? directory(o.tenantId),
        publish: o.publish ?? defaultPublish,
        ...(nats
          ? {
              republish: async (message: Message, msgId: string) => {
                await publish(nats.js, message, { timeoutMs: 5_000, msgId });
              },
            }
          : {}),
        natsHealth:
          o.natsHealth ??
          (async () => {
            if (!nats) throw new Error('no nats in this harness');
            await nats.nc.flush();
          }),
      };
      return createApp(deps);
    },
    sql: async <T>(query: string, params: unknown[] = []) => orm.em.fork().execute<T[]>(query, params),
    async close() {
      if (nats) {
        await nats.nc.close();
        await nats.server.close();
      }
      await orm.close();
      await db.drop();
    },
  };
}

export interface CallOptions {
  key?: string | undefined;
  body?: unknown;
  /** A raw body sent as is (for malformed JSON). */
  raw?: string;
  headers?: Record<string, string>;
}

export interface CallResult<T = Record<string, unknown>> {
  status: number;
  headers: Headers;
  body: T;
}

/**
 * One request through `app.request()`, with the bearer key and a JSON body.
 *
 * @example
 * const res = await call(app, 'POST', '/api/sync/pricebook/full', { key: keys.operator, body: {} });
 */
export async function call<T = Record<string, unknown>>(
  app: ApiApp,
  method: string,
  path: string,
  options: CallOptions = {},
): Promise<CallResult<T>> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.key !== undefined) headers.authorization = `Bearer ${options.key}`;
  let body: string | undefined;
  if (options.raw !== undefined) body = options.raw;
  else if (options.body !== undefined) {
    body = JSON.stringify(options.body);
    headers['content-type'] ??= 'application/json';
  }
  const res = await app.request(path, { method, headers, ...(body === undefined ? {} : { body }) });
  const text = await res.text();
  const type = res.headers.get('content-type') ?? '';
  const parsed = type.includes('json') && text ? JSON.parse(text) : text;
  return { status: res.status, headers: res.headers, body: parsed as T };
}

export { until } from '@pricebook/testing/vitest';
export { type SignedIn, signIn } from './session';
export { sandboxTenantBody, tenantBody } from './tenant-bodies';
