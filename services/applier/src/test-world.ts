import { createHash, randomUUID } from 'node:crypto';
import {
  type JetStreamClient,
  type JetStreamManager,
  type JsMsg,
  jetstream,
  jetstreamManager,
} from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import {
  type AcceptedType,
  type ConsumerDefinition,
  canonicalJson,
  consumers,
  createMessage,
  type EntityType,
  type Message,
  type MessageDataInput,
  messageIds,
  streams,
} from '@pricebook/contracts';
import { acquireSyncRun, createOrm, migrate, type Orm, queueSync, recordPoison } from '@pricebook/db';
import { createLogger, type Logger } from '@pricebook/logger';
import {
  type BatchHandler,
  type ConsumerRunner,
  provision,
  type RunConsumerOptions,
  runConsumer,
} from '@pricebook/messaging';
import { StClient, type StClientOptions } from '@pricebook/st-client';
import { TenantDirectory, type TenantsEnv } from '@pricebook/tenants';
import {
  createTestDatabase,
  type StartedSandbox,
  startTestNats,
  type TestDatabase,
  type TestNats,
} from '@pricebook/testing';
import { loadApplierEnv } from './env';

export const tenant = '1001';

// The applier's test world: what tests (through `test-support.ts`) and the throughput script
// build on. Free of vitest, so a plain script can use it too.

/** A migrated database and a JetStream server of this test file's own (test support only). */
export interface Harness {
  db: TestDatabase;
  orm: Orm;
  server: TestNats;
  nc: NatsConnection;
  js: JetStreamClient;
  jsm: JetStreamManager;
  log: Logger;
  sql<T = Record<string, unknown>>(query: string, params?: unknown[]): Promise<T[]>;
  close(): Promise<void>;
}

/** A logger for a test, silent unless `TEST_LOG_LEVEL` says otherwise. */
export function testLogger(service: string): Logger {
  return createLogger({ service, level: process.env.TEST_LOG_LEVEL ?? 'silent' });
}

export async function startHarness(): Promise<Harness> {
  const db = await createTestDatabase('pb_applier');
  await migrate(db.url);
  const orm = await createOrm(db.url, { poolMax: 6 });
  const server = await startTestNats();
  // As main.ts connects: without async traces, which cost a fifth of the CPU under load.
  const nc = await connect({ servers: server.url, name: 'applier-test', noAsyncTraces: true });
  const jsm = await jetstreamManager(nc);
  await provision(jsm, {
    streams: Object.values(streams),
    consumers: [consumers.applier, consumers.fence, consumers.comparator],
  });
  return {
    db,
    orm,
    server,
    nc,
    js: jetstream(nc),
    jsm,
    log: testLogger('applier-test'),
    sql: async <T>(query: string, params: unknown[] = []) => orm.em.fork().execute<T[]>(query, params),
    async close() {
      await nc.close();
      await server.close();
      await orm.close();
      await db.drop();
    },
  };
}

/** Empties every table the applier writes, so each test starts from nothing. */
export async function resetDatabase(h: Harness): Promise<void> {
  await h.orm.em.fork().transactional(async (em) => {
    await em.execute(`select set_config('pricebook.allow_truncate', 'on', true)`);
    await em.execute(`truncate pricebook_categories, pricebook_materials, pricebook_services, pricebook_equipment,
      pricebook_changes, pricebook_outbox, pricebook_sync_items, pricebook_sync_log, pricebook_sync_runs,
      pricebook_sync_conflicts, pricebook_sync_state, pricebook_quarantine, pricebook_dead_letters`);
  });
}

/**
 * Runs `handler` on a durable as a test wants it: a short pull, terminated messages recorded.
 *
 * @example
 * const runner = testConsumer(h, consumers.applier, createDecidedHandler({ orm: h.orm, js: h.js, tenantId: tenant }));
 */
export function testConsumer<C extends ConsumerDefinition>(
  h: Harness,
  consumer: C,
  handler: BatchHandler<AcceptedType<C>>,
  options: Partial<Omit<RunConsumerOptions<C>, 'js' | 'log' | 'consumer' | 'handler'>> = {},
): ConsumerRunner {
  return runConsumer({
    js: h.js,
    log: h.log,
    consumer,
    handler,
    maxWaitMs: 1_000,
    onPoison: recordPoison(h.orm),
    ...options,
  });
}

/**
 * A ServiceTitan client of the test's sandbox.
 *
 * @example
 * const st = sandboxClient(sandbox, { retry: { maxAttempts: 2, baseDelayMs: 10, maxDelayMs: 50 } });
 */
export function sandboxClient(sandbox: StartedSandbox, options: Partial<StClientOptions> = {}): StClient {
  return new StClient({
    baseUrl: sandbox.baseUrl,
    authUrl: sandbox.authUrl,
    tenantId: sandbox.tenantId,
    clientId: sandbox.clientId,
    clientSecret: sandbox.clientSecret,
    appKey: sandbox.appKey,
    ...options,
  });
}

/** The key that seals the credentials of the tenants tests add (`TENANT_SECRETS_KEYS`). */
export const testSecretsKeys = 'test:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=';

/**
 * The tenants' settings of a test applier: the harness tenant as the environment's own (without
 * ServiceTitan credentials unless given) and a key to add others with `TenantDirectory.create`.
 *
 * @example
 * const env = testTenantsEnv({ ST_CLIENT_ID: sandbox.clientId, … });
 */
export function testTenantsEnv(overrides: Record<string, string | undefined> = {}): TenantsEnv {
  return loadApplierEnv({
    ST_TENANT_ID: tenant,
    TENANT_SECRETS_KEYS: testSecretsKeys,
    ...overrides,
  });
}

/** The directory of a test applier's tenants (see `testTenantsEnv`). */
export function testTenants(h: Harness, overrides: Record<string, string | undefined> = {}): TenantDirectory {
  return new TenantDirectory(h.orm, testTenantsEnv(overrides));
}

/** Whether a durable has nothing left to deliver and nothing unacknowledged. */
export async function idle(h: Harness, name: string): Promise<boolean> {
  const info = await h.jsm.consumers.info('PRICEBOOK_PIPELINE', name);
  return info.num_pending === 0 && info.num_ack_pending === 0;
}

export interface SyncInput {
  /** The harness tenant unless given. */
  tenantId?: string;
  syncType?: 'full' | 'incremental';
  dryRun?: boolean;
  entityTypes?: EntityType[];
  options?: Record<string, unknown>;
}

/** A queued sync as the API creates it (through the sync life cycle): the log row and the run lock of each entity. */
export async function createSync(h: Harness, input: SyncInput = {}): Promise<string> {
  const id = randomUUID();
  const entityTypes = input.entityTypes ?? ['materials'];
  const tenantId = input.tenantId ?? tenant;
  await h.orm.em.fork().transactional(async (em) => {
    await queueSync(em, {
      id,
      tenantId,
      syncType: input.syncType ?? 'full',
      direction: 'from_st',
      options: { entityTypes, ...input.options },
      dryRun: input.dryRun ?? false,
      triggeredBy: null,
    });
    for (const entityType of entityTypes) {
      const locked = await acquireSyncRun(em, { tenantId, entityType, syncLogId: id }, 60_000);
      if (!locked) throw new Error(`another sync holds the run lock of ${entityType}`);
    }
  });
  return id;
}

export const T1 = '2025-12-01T10:00:00.0000001Z';
export const T2 = '2025-12-02T10:00:00.0000002Z';
export const T3 = '2025-12-03T10:00:00.0000003Z';

/** An ST material record. */
export function material(stId: number, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: stId,
    code: `M-${stId}`,
    displayName: `Material ${stId}`,
    description: 'copper fitting',
    price: 10 + stId,
    cost: 4.25,
    active: true,
    modifiedOn: T1,
    ...overrides,
  };
}

/** A content hash of a record (any hex digest satisfies the contracts). */
export function hashOf(record: Record<string, unknown>): string {
  return createHash('sha256').update(canonicalJson(record)).digest('hex').slice(0, 40);
}

type DecidedInput = Omit<MessageDataInput<'record.decided'>, 'syncLogId' | 'entity' | 'stId'> & {
  entity?: EntityType;
};

/** A `record.decided` message with the ids the comparator would give it. */
export function decided(syncLogId: string, stId: number, input: DecidedInput): Message<'record.decided'> {
  const entity = input.entity ?? 'materials';
  const rawModifiedOn = input.record?.modifiedOn;
  const modifiedOn = input.modifiedOn ?? (typeof rawModifiedOn === 'string' ? rawModifiedOn : T1);
  const observedId = messageIds.observed({ syncLogId, entity, stId, modifiedOn });
  return createMessage('record.decided', {
    id: `${observedId}:decided`,
    tenant,
    correlationId: syncLogId,
    causationId: observedId,
    data: { ...input, syncLogId, entity, stId, modifiedOn },
  });
}

/** A create decision for a new ST record. */
export function createDecision(
  syncLogId: string,
  record: Record<string, unknown>,
): Message<'record.decided'> {
  return decided(syncLogId, Number(record.id), { action: 'create', record, hash: hashOf(record) });
}

/** A `sync.fence` message. */
export function fence(
  syncLogId: string,
  data: Omit<MessageDataInput<'sync.fence'>, 'syncLogId' | 'entity' | 'errors'> & {
    entity?: EntityType;
    errors?: number;
  },
): Message<'sync.fence'> {
  const entity = data.entity ?? 'materials';
  return createMessage('sync.fence', {
    id: messageIds.fence({ syncLogId, entity }),
    tenant,
    correlationId: syncLogId,
    causationId: messageIds.syncCommand(syncLogId),
    data: { errors: 0, ...data, syncLogId, entity },
  });
}

/**
 * Publishes a message again under another `Nats-Msg-Id`: to the consumer it is the same message
 * delivered once more, which JetStream's duplicate window would otherwise hide.
 */
export async function redeliver(h: Harness, message: Message, subject: string): Promise<void> {
  await h.js.publish(subject, JSON.stringify(message), { msgID: `${message.id}:again:${randomUUID()}` });
}

/** Takes every message waiting for a durable of the pipeline (acking them). */
export async function drainConsumer(h: Harness, name: string, max = 1000): Promise<JsMsg[]> {
  const consumer = await h.js.consumers.get('PRICEBOOK_PIPELINE', name);
  const out: JsMsg[] = [];
  for (;;) {
    const batch = await consumer.fetch({ max_messages: max, expires: 1_000 });
    let n = 0;
    for await (const m of batch) {
      out.push(m);
      m.ack();
      n += 1;
    }
    if (n === 0) return out;
  }
}

/** Inserts rows as the engine would (origin `st`, `base` = `data`), leaving no audit or event behind. */
export async function seedRows(h: Harness, records: Record<string, unknown>[]): Promise<void> {
  await h.orm.em.fork().transactional(async (em) => {
    await em.execute(`select set_config('pricebook.origin', 'st', true)`);
    await em.execute(
      `insert into pricebook_materials
         (tenant_id, st_id, data, base, content_hash, st_modified_on, last_synced_at, sync_status)
       select ?, r.st_id, r.data, r.data, r.hash, (r.data ->> 'modifiedOn')::timestamptz, now(), 'synced'
         from jsonb_to_recordset(?::jsonb) as r(st_id bigint, data jsonb, hash text)`,
      [tenant, JSON.stringify(records.map((r) => ({ st_id: r.id, data: r, hash: hashOf(r) })))],
    );
  });
  await h.sql('delete from pricebook_changes');
  await h.sql('delete from pricebook_outbox');
}

/** A row's columns the tests look at. */
export interface MaterialRow {
  id: string;
  st_id: string;
  data: Record<string, unknown>;
  base: Record<string, unknown> | null;
  content_hash: string | null;
  sync_status: string;
  has_conflict: boolean;
  deleted_at: string | null;
  version: number;
  last_synced_at: string | null;
}

export async function materialRows(h: Harness): Promise<Map<number, MaterialRow>> {
  const rows = await h.sql<MaterialRow>(
    'select * from pricebook_materials where st_id is not null order by st_id',
  );
  return new Map(rows.map((r) => [Number(r.st_id), r]));
}

export async function syncLog(h: Harness, id: string): Promise<Record<string, unknown>> {
  const rows = await h.sql('select * from pricebook_sync_log where id = ?', [id]);
  const row = rows[0];
  if (!row) throw new Error(`no sync ${id}`);
  return row;
}

export async function count(h: Harness, query: string, params: unknown[] = []): Promise<number> {
  const rows = await h.sql<{ n: string }>(query, params);
  return Number(rows[0]?.n ?? 0);
}
