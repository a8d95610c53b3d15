import { type JetStreamClient, type JetStreamManager, jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { streams } from '@pricebook/contracts';
import { createOrm, migrate, type Orm } from '@pricebook/db';
import { createLogger, type Logger } from '@pricebook/logger';
import { provision } from '@pricebook/messaging';
import { createTestDatabase, startTestNats, type TestDatabase, type TestNats } from '@pricebook/testing';

export const tenant = '1001';

/** A database of this test file's own (test support only, never imported by the package). */
export interface TestDb {
  db: TestDatabase;
  orm: Orm;
  /** Runs one statement outside any transaction, exactly as psql or another tool would. */
  sql<T = Record<string, unknown>>(query: string, params?: unknown[]): Promise<T[]>;
  close(): Promise<void>;
}

/** A database, migrated up to `to` (a migration name) or to the latest. */
export async function startTestDb(options: { to?: string } = {}): Promise<TestDb> {
  const db = await createTestDatabase('pb_outbox');
  if (options.to === undefined) await migrate(db.url);
  const orm = await createOrm(db.url, { poolMax: 6 });
  if (options.to !== undefined) await orm.getMigrator().up({ to: options.to });
  return {
    db,
    orm,
    sql: async <T>(query: string, params: unknown[] = []) => orm.em.fork().execute<T[]>(query, params),
    async close() {
      await orm.close();
      await db.drop();
    },
  };
}

/** A database and a provisioned JetStream server of this test file's own. */
export interface Harness extends TestDb {
  server: TestNats;
  nc: NatsConnection;
  js: JetStreamClient;
  jsm: JetStreamManager;
  log: Logger;
}

export async function startHarness(options: { to?: string } = {}): Promise<Harness> {
  const t = await startTestDb(options);
  const server = await startTestNats();
  const nc = await connect({ servers: server.url, name: 'outbox-test', noAsyncTraces: true });
  const jsm = await jetstreamManager(nc);
  await provision(jsm, { streams: Object.values(streams), consumers: [] });
  return {
    ...t,
    server,
    nc,
    js: jetstream(nc),
    jsm,
    log: createLogger({ service: 'outbox-test', level: process.env.TEST_LOG_LEVEL ?? 'silent' }),
    async close() {
      await nc.close();
      await server.close();
      await t.close();
    },
  };
}

/** Empties the tables the triggers and the relay write. */
export async function resetDatabase(t: TestDb): Promise<void> {
  await t.orm.em.fork().transactional(async (em) => {
    await em.execute(`select set_config('pricebook.allow_truncate', 'on', true)`);
    await em.execute(`truncate pricebook_categories, pricebook_materials, pricebook_services, pricebook_equipment,
      pricebook_changes, pricebook_outbox, pricebook_sync_log, pricebook_sync_runs, pricebook_dead_letters`);
  });
}

export async function count(t: TestDb, query: string, params: unknown[] = []): Promise<number> {
  const rows = await t.sql<{ n: string }>(query, params);
  return Number(rows[0]?.n ?? 0);
}

/** Every message of a stream, with its `Nats-Msg-Id`. */
export async function streamMessages(
  h: Harness,
  stream: string,
): Promise<Array<{ msgId: string | undefined; subject: string; json: unknown }>> {
  const info = await h.jsm.streams.info(stream);
  const out = [];
  for (let seq = info.state.first_seq; seq <= info.state.last_seq && info.state.messages > 0; seq++) {
    const m = await h.jsm.streams.getMessage(stream, { seq });
    if (m) out.push({ msgId: m.header?.get('Nats-Msg-Id'), subject: m.subject, json: m.json() });
  }
  return out;
}

/** A queued sync log row, as the API creates it. */
export async function createSync(t: TestDb, id: string): Promise<string> {
  await t.sql(
    `insert into pricebook_sync_log (id, tenant_id, sync_type, direction, options, dry_run)
     values (?, ?, 'full', 'from_st', '{"entityTypes": ["materials"]}'::jsonb, false)`,
    [id, tenant],
  );
  return id;
}

/** Inserts a material as the engine would (origin `st`), leaving no audit or event behind. */
export async function seedMaterial(t: TestDb, stId: number): Promise<void> {
  await t.orm.em.fork().transactional(async (em) => {
    await em.execute(`select set_config('pricebook.origin', 'st', true)`);
    await em.execute(
      `insert into pricebook_materials (tenant_id, st_id, data, base, sync_status)
       values (?, ?, ?::jsonb, ?::jsonb, 'synced')`,
      [tenant, stId, JSON.stringify(material(stId)), JSON.stringify(material(stId))],
    );
  });
  await t.sql('delete from pricebook_changes');
  await t.sql('delete from pricebook_outbox');
}

/** An ST material record. */
export function material(stId: number, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: stId,
    code: `M-${stId}`,
    displayName: `Material ${stId}`,
    price: 10 + stId,
    cost: 4.25,
    active: true,
    modifiedOn: '2025-12-01T10:00:00.0000001Z',
    ...overrides,
  };
}
