import { Writable } from 'node:stream';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import type { ScheduleName } from '@pricebook/contracts';
import { createOrm, migrate, type Orm } from '@pricebook/db';
import { createLogger } from '@pricebook/logger';
import { provision } from '@pricebook/messaging';
import { createTestDatabase, startTestNats, type TestDatabase, type TestNats } from '@pricebook/testing';
import { forFile } from '@pricebook/testing/vitest';
import { type RunningScheduler, type SchedulerOptions, startScheduler } from './scheduler';
import type { TickOutcome } from './tick-handler';

/** Every second: tests watch ticks happen instead of waiting for 2 AM. */
export const everySecond = '* * * * * *';
/** Once a year: a schedule that stays quiet during a test. */
export const yearly = '0 0 1 1 *';

export interface Replica {
  scheduler: RunningScheduler;
  nc: NatsConnection;
  fired: Array<{ schedule: ScheduleName; tickAt: string; enabled: boolean }>;
  published: Array<{ schedule: ScheduleName; tickAt: string; duplicate: boolean }>;
  outcomes: TickOutcome[];
  stop(): Promise<void>;
}

export interface SchedulerHarness {
  db: TestDatabase;
  orm: Orm;
  nats: TestNats;
  tenant: string;
  /** One scheduler replica with its own NATS connection, as a separate process would have. */
  replica(overrides?: Partial<SchedulerOptions>): Promise<Replica>;
  sql<T = Record<string, unknown>>(query: string, params?: unknown[]): Promise<T[]>;
  close(): Promise<void>;
}

const silent = new Writable({ write: (_c, _e, done) => done() });

/** A migrated database and a JetStream server of the test's own (the `scheduler` consumer serves one tenant). */
export async function startSchedulerHarness(): Promise<SchedulerHarness> {
  const [db, nats] = await Promise.all([createTestDatabase('pb_sched'), startTestNats()]);
  await migrate(db.url);
  const orm = await createOrm(db.url, { poolMax: 6 });
  const admin = await connect({ servers: nats.url });
  await provision(await jetstreamManager(admin));
  await admin.close();
  const tenant = '3001';
  const replicas = new Set<Replica>();
  const log = createLogger({ service: 'scheduler-test', level: 'warn', destination: silent });

  return {
    db,
    orm,
    nats,
    tenant,
    async replica(overrides = {}) {
      const nc = await connect({ servers: nats.url, maxReconnectAttempts: -1, reconnectTimeWait: 250 });
      const fired: Replica['fired'] = [];
      const published: Replica['published'] = [];
      const outcomes: TickOutcome[] = [];
      const scheduler = await startScheduler({
        orm,
        nc,
        js: jetstream(nc),
        log,
        tenantId: tenant,
        fullCron: yearly,
        incrementalCron: everySecond,
        timezone: 'UTC',
        enabledByDefault: true,
        runOverdueOnStart: false,
        runStaleAfterMs: 600_000,
        onTick: (t) => fired.push(t),
        onPublished: (t) => published.push(t),
        onOutcome: (o) => outcomes.push(o),
        ...overrides,
      });
      const replica: Replica = {
        scheduler,
        nc,
        fired,
        published,
        outcomes,
        async stop() {
          if (!replicas.delete(replica)) return;
          await scheduler.stop();
          await nc.close();
        },
      };
      replicas.add(replica);
      return replica;
    },
    sql: async <T>(query: string, params: unknown[] = []) => orm.em.fork().execute<T[]>(query, params),
    async close() {
      await Promise.all([...replicas].map((r) => r.stop()));
      await orm.close();
      await nats.close();
      await db.drop();
    },
  };
}

export { until } from '@pricebook/testing/vitest';

/** A migrated database of the file's own, without NATS (housekeeping needs only PostgreSQL). */
export interface TestDb {
  orm: Orm;
  url: string;
  sql<T = Record<string, unknown>>(query: string, params?: unknown[]): Promise<T[]>;
  close(): Promise<void>;
}

export function databaseForFile(): TestDb {
  return forFile(async () => {
    const db = await createTestDatabase('pb_sched');
    await migrate(db.url);
    const orm = await createOrm(db.url, { poolMax: 4 });
    return {
      orm,
      url: db.url,
      sql: async <T>(query: string, params: unknown[] = []) => orm.em.fork().execute<T[]>(query, params),
      async close() {
        await orm.close();
        await db.drop();
      },
    };
  });
}
