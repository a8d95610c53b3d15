import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { createOrm, migrate, type Orm } from '@pricebook/db';
import { createLogger } from '@pricebook/logger';
import { provision } from '@pricebook/messaging';
import type { ScheduleConfig } from '@pricebook/schedule';
import { TenantDirectory } from '@pricebook/tenants';
import { createTestDatabase, startTestNats, type TestDatabase, type TestNats } from '@pricebook/testing';
import { forFile } from '@pricebook/testing/vitest';
import { type RunningScheduler, type SchedulerOptions, startScheduler } from './scheduler';
import type { FiredTick, PublishedTick } from './tenant-set';
import type { TickOutcome } from './tick-handler';

/** Every second: tests watch ticks happen instead of waiting for 2 AM. */
export const everySecond = '* * * * * *';
/** Once a year: a schedule that stays quiet during a test. */
export const yearly = '0 0 1 1 *';

export interface Replica {
  scheduler: RunningScheduler;
  nc: NatsConnection;
  fired: FiredTick[];
  published: PublishedTick[];
  outcomes: TickOutcome[];
  stop(): Promise<void>;
}

/** A replica's settings: the deployment's crons and zone (`defaults`) given one by one. */
export type ReplicaOptions = Partial<Omit<SchedulerOptions, 'defaults'> & ScheduleConfig>;

export interface SchedulerHarness {
  db: TestDatabase;
  orm: Orm;
  nats: TestNats;
  /** The environment's tenant (`ST_TENANT_ID`). */
  tenant: string;
  /** The deployment's tenants: the environment's, and any a test adds. */
  tenants: TenantDirectory;
  /** A stored tenant with made-up credentials (nothing here calls ServiceTitan). */
  addTenant(tenantId: string, schedule?: Partial<ScheduleConfig>): Promise<void>;
  /**
   * One scheduler replica with its own NATS connection, as a separate process would have. It
   * reads the tenant list every 200 ms, and its defaults are a yearly full and a per-second
   * incremental cron.
   */
  replica(overrides?: ReplicaOptions): Promise<Replica>;
  sql<T = Record<string, unknown>>(query: string, params?: unknown[]): Promise<T[]>;
  close(): Promise<void>;
}

const silent = new Writable({ write: (_c, _e, done) => done() });

/** A migrated database and a JetStream server of the test's own, and a tenant directory on them. */
export async function startSchedulerHarness(): Promise<SchedulerHarness> {
  const [db, nats] = await Promise.all([createTestDatabase('pb_sched'), startTestNats()]);
  await migrate(db.url);
  const orm = await createOrm(db.url, { poolMax: 6 });
  const admin = await connect({ servers: nats.url });
  await provision(await jetstreamManager(admin));
  await admin.close();
  const tenant = '3001';
  const tenants = new TenantDirectory(orm, {
    ST_TENANT_ID: tenant,
    ST_TENANT_NAME: 'Default tenant',
    ST_API_BASE_URL: 'https://api.servicetitan.io',
    ST_AUTH_URL: 'https://auth.servicetitan.io',
    TENANT_SECRETS_KEYS: [{ id: 'k1', key: randomBytes(32) }],
  });
  const replicas = new Set<Replica>();
  const log = createLogger({ service: 'scheduler-test', level: 'warn', destination: silent });

  return {
    db,
    orm,
    nats,
    tenant,
    tenants,
    async addTenant(tenantId, schedule) {
      await tenants.create({
        tenantId,
        name: `Contractor ${tenantId}`,
        clientId: 'client',
        clientSecret: 'secret',
        appKey: 'app-key',
        apiBaseUrl: 'https://api.servicetitan.io',
        authUrl: 'https://auth.servicetitan.io',
      });
      // Set apart from the create: the directory's insert with a schedule assigns its columns twice.
      if (schedule) await tenants.update(tenantId, { schedule });
    },
    async replica(overrides = {}) {
      const nc = await connect({ servers: nats.url, maxReconnectAttempts: -1, reconnectTimeWait: 250 });
      const fired: Replica['fired'] = [];
      const published: Replica['published'] = [];
      const outcomes: TickOutcome[] = [];
      const { fullCron = yearly, incrementalCron = everySecond, timezone = 'UTC', ...rest } = overrides;
      const scheduler = await startScheduler({
        orm,
        nc,
        js: jetstream(nc),
        log,
        tenants,
        defaults: { fullCron, incrementalCron, timezone },
        refreshMs: 200,
        enabledByDefault: true,
        runOverdueOnStart: false,
        runStaleAfterMs: 600_000,
        onTick: (t) => fired.push(t),
        onPublished: (t) => published.push(t),
        onOutcome: (o) => outcomes.push(o),
        ...rest,
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
