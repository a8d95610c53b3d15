import { randomBytes, randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import { createOrm } from '@pricebook/db';
import { createLogger } from '@pricebook/logger';
import { createMetrics, type EngineMetrics } from '@pricebook/observability';
import { type SecretsKey, TenantDirectory, type TenantsEnv } from '@pricebook/tenants';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Clock } from '../clock';
import { databaseForFile, until } from '../test-support';
import { type HousekeepingCounts, type Retentions, runHousekeeping } from './run';
import { type HousekeepingOptions, startHousekeeping } from './start';

const t = databaseForFile();
const tenantId = '3001';
const day = 86_400_000;
const defaults: Retentions = {
  outbox: 7 * day,
  deadLetters: 30 * day,
  quarantine: 30 * day,
  syncLogs: 180 * day,
  audit: null,
  webhookDeliveries: 30 * day,
};
const everything: Retentions = { ...defaults, audit: 90 * day };
const off: Retentions = {
  outbox: null,
  deadLetters: null,
  quarantine: null,
  syncLogs: null,
  audit: null,
  webhookDeliveries: null,
};

const ago = (days: number) => `now() - make_interval(days => ${days})`;

interface Seeded {
  /** Rows every retention keeps, by table. */
  kept: Record<string, string[]>;
}

/**
 * One of each case for every table, of a tenant: rows past their retention, rows inside it, and
 * old rows something still needs.
 */
async function seed(tenantId = '3001'): Promise<Seeded> {
  const one = async (sql: string, params: unknown[] = []) =>
    (await t.sql<{ id: string }>(`${sql} returning id`, params))[0]?.id ?? '';
  const sync = (status: string, days: number) =>
    one(
      `insert into pricebook_sync_log (tenant_id, sync_type, direction, status, created_at)
       values (?, 'full', 'from_st', ?, ${ago(days)})`,
      [tenantId, status],
    );
  const change = (record: string, days: number, syncLogId: string | null = null) =>
    one(
      `insert into pricebook_changes (tenant_id, entity_type, record_id, operation, origin, sync_log_id, created_at)
       values (?, 'materials', ?, 'update', 'st', ?, ${ago(days)})`,
      [tenantId, record, syncLogId],
    );
  const outbox = (publishedDays: number | null, changeId: string | null = null) =>
    one(
      `insert into pricebook_outbox (tenant_id, subject, event_type, payload, change_id, created_at, published_at)
       values (?, 's', 'record.updated', '{}'::jsonb, ?, ${ago(400)}, ${publishedDays === null ? 'null' : ago(publishedDays)})`,
      [tenantId, changeId],
    );
  const letter = (days: number) =>
    one(
      `insert into pricebook_dead_letters (tenant_id, stream, consumer, subject, stream_seq, delivery_count, payload, reason, created_at)
       values (?, 'PRICEBOOK_INBOUND', 'applier-inbound', 's', ?, 1, '{}', 'bad', ${ago(days)})`,
      [tenantId, Math.floor(Math.random() * 1e12)],
    );
  const quarantined = (days: number, syncLogId: string | null = null) =>
    one(
      `insert into pricebook_quarantine (tenant_id, entity_type, raw, reason, sync_log_id, created_at)
       values (?, 'materials', '{}'::jsonb, 'bad', ?, ${ago(days)})`,
      [tenantId, syncLogId],
    );

  // Sync logs: one only an old change points at (it goes once the audit retention takes the
  // change), one the kept newest change points at, one with a ledger, one running, one recent.
  const auditedOld = await sync('completed', 300);
  const auditedNewest = await sync('completed', 300);
  const ledgered = await sync('failed', 300);
  await t.sql(
    `insert into pricebook_sync_items (sync_log_id, entity_type, item_key, action)
     select ?, 'materials', g::text, 'update' from generate_series(1, 5) as g`,
    [ledgered],
  );
  const running = await sync('running', 300);
  const recentSync = await sync('completed', 10);

  const record = randomUUID();
  await change(record, 200, auditedOld);
  const unpublishedChange = await change(record, 150);
  const newestChange = await change(record, 100, auditedNewest);

  await outbox(8);
  await outbox(8);
  await outbox(20);
  const unpublishedEvent = await outbox(null, unpublishedChange);
  const recentEvent = await outbox(1);

  await letter(31);
  const recentLetter = await letter(2);
  await quarantined(31);
  const recentQuarantined = await quarantined(2);

  return {
    kept: {
      pricebook_outbox: [unpublishedEvent, recentEvent],
      pricebook_dead_letters: [recentLetter],
      pricebook_quarantine: [recentQuarantined],
      pricebook_changes: [unpublishedChange, newestChange],
      pricebook_sync_log: [auditedNewest, running, recentSync],
    },
  };
}

const tables = [
  'pricebook_outbox',
  'pricebook_dead_letters',
  'pricebook_quarantine',
  'pricebook_changes',
  'pricebook_sync_log',
  'pricebook_sync_items',
] as const;

async function contents(): Promise<Record<string, string[]>> {
  const out: Record<string, string[]> = {};
  for (const table of tables) {
    const column = table === 'pricebook_sync_items' ? 'item_key' : 'id';
    out[table] = (await t.sql<{ id: string }>(`select ${column} as id from ${table}`))
      .map((r) => r.id)
      .sort();
  }
  return out;
}

const k1: SecretsKey = { id: 'k1', key: randomBytes(32) };
const k2: SecretsKey = { id: 'k2', key: randomBytes(32) };

/** The deployment's tenants: the environment's (3001) and any stored, their secrets under `keys`. */
const directory = (keys: SecretsKey[]) => {
  const env: TenantsEnv = {
    ST_TENANT_ID: tenantId,
    ST_TENANT_NAME: 'Default tenant',
    ST_API_BASE_URL: 'https://api.servicetitan.io',
    ST_AUTH_URL: 'https://auth.servicetitan.io',
    TENANT_SECRETS_KEYS: keys,
  };
  return new TenantDirectory(t.orm, env);
};

const silent = new Writable({ write: (_c, _e, done) => done() });

/**
 * Starts housekeeping on a clock that moves only while the loop waits for its first tick, waits
 * for that run, stops, and returns the runs and where the clock stood.
 */
async function firstRun(
  options: Pick<HousekeepingOptions, 'tenantIds' | 'credentials'> & { metrics: EngineMetrics },
) {
  const runs: HousekeepingCounts[] = [];
  // After the first run, a wait lasts until stop.
  let now = Date.parse('2026-12-06T10:00:00Z');
  const clock: Clock = {
    now: () => new Date(now),
    sleep: async (ms, signal) => {
      if (runs.length === 0) {
        now += ms;
        return;
      }
      if (signal.aborted) return;
      await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
    },
  };
  const housekeeping = startHousekeeping({
    orm: t.orm,
    log: createLogger({ service: 'scheduler-test', level: 'warn', destination: silent }),
    clock,
    cron: '17 * * * *',
    timezone: 'UTC',
    retention: everything,
    batchSize: 2,
    onRun: (counts) => runs.push(counts),
    ...options,
  });
  await until('the first run', () => runs[0]);
  await housekeeping.stop();
  return { runs, now: new Date(now) };
}

/** Everything deleted under `everything` (audit included), with 3-row batches. */
const allDeleted: HousekeepingCounts = {
  outbox: 3,
  deadLetters: 1,
  quarantine: 1,
  audit: 1,
  syncItems: 5,
  syncLogs: 2,
  driftReports: 0,
  webhookDeliveries: 0,
  changeSets: 0,
  revokedSessions: 0,
  sessionCutoffs: 0,
};

beforeEach(async () => {
  await t.sql(
    `truncate ${tables.join(', ')}, pricebook_sync_conflicts, pricebook_sync_runs, pricebook_tenants,
      pricebook_changesets, pricebook_webhook_deliveries, pricebook_webhook_subscriptions`,
  );
});

describe('runHousekeeping', () => {
  it('deletes what each retention says, in bounded batches, and keeps what something still needs', async () => {
    const { kept } = await seed();
    const counts = await runHousekeeping({ orm: t.orm, tenantId, retention: everything, batchSize: 3 });
    expect(counts).toEqual(allDeleted);
    const left = await contents();
    for (const [table, ids] of Object.entries(kept)) expect(left[table], table).toEqual([...ids].sort());
    expect(left.pricebook_sync_items).toEqual([]);
    // A second run finds nothing more.
    expect(await runHousekeeping({ orm: t.orm, tenantId, retention: everything, batchSize: 3 })).toEqual({
      outbox: 0,
      deadLetters: 0,
      quarantine: 0,
      audit: 0,
      syncItems: 0,
      syncLogs: 0,
      driftReports: 0,
      webhookDeliveries: 0,
      changeSets: 0,
      revokedSessions: 0,
      sessionCutoffs: 0,
    });
  });

  it('keeps the audit trail by default, and the syncs it points at', async () => {
    await seed();
    const counts = await runHousekeeping({ orm: t.orm, tenantId, retention: defaults, batchSize: 1000 });
    expect(counts).toEqual({ ...allDeleted, audit: 0, syncLogs: 1 });
    expect((await contents()).pricebook_changes).toHaveLength(3);
  });

  it('deletes old drift reports with the syncs, but never the latest finished one or a check in progress', async () => {
    await t.sql('truncate pricebook_drift_reports');
    const report = async (status: string, days: number) =>
      (
        await t.sql<{ id: string }>(
          `insert into pricebook_drift_reports (tenant_id, status, trigger, created_at, checked_at)
           values (?, ?, 'schedule', ${ago(days)}, ${status === 'running' ? 'null' : ago(days)}) returning id`,
          [tenantId, status],
        )
      )[0]?.id;
    await report('drifted', 400);
    await report('in_sync', 300);
    const running = await report('running', 300);
    await report('in_sync', 200);
    const recent = await report('drifted', 10);
    // The newest finished report is the recent one: the old ones go, 200 days included.
    const counts = await runHousekeeping({ orm: t.orm, tenantId, retention: defaults, batchSize: 1 });
    expect(counts.driftReports).toBe(3);
    const left = (await t.sql<{ id: string }>('select id from pricebook_drift_reports')).map((r) => r.id);
    expect(left.sort()).toEqual([running, recent].sort());

    // A tenant whose only finished report is old keeps it: it is still its drift state.
    await t.sql(`delete from pricebook_drift_reports where id = ?`, [recent]);
    await report('in_sync', 500);
    expect(
      (await runHousekeeping({ orm: t.orm, tenantId, retention: defaults, batchSize: 5 })).driftReports,
    ).toBe(0);
  });

  it('deletes finished webhook deliveries past their retention, and never a pending one', async () => {
    await t.sql('truncate pricebook_webhook_deliveries, pricebook_webhook_subscriptions');
    const [sub] = await t.sql<{ id: string }>(
      `insert into pricebook_webhook_subscriptions (tenant_id, url, event_types, secret, secrets_key_id)
       values (?, 'https://hooks.example.com/x', '{record.updated}', 'sealed', 'k1') returning id`,
      [tenantId],
    );
    const delivery = async (event: string, status: string, days: number) =>
      (
        await t.sql<{ id: string }>(
          `insert into pricebook_webhook_deliveries (subscription_id, tenant_id, event_id, event_type, occurred_at, payload, status, created_at)
           values (?, ?, ?, 'record.updated', now(), '{}'::jsonb, ?, ${ago(days)}) returning id`,
          [sub?.id, tenantId, event, status],
        )
      )[0]?.id;
    await delivery('e1', 'succeeded', 45);
    await delivery('e2', 'failed', 31);
    const pending = await delivery('e3', 'pending', 45);
    const recent = await delivery('e4', 'succeeded', 2);
    const counts = await runHousekeeping({ orm: t.orm, tenantId, retention: defaults, batchSize: 1 });
    expect(counts.webhookDeliveries).toBe(2);
    const left = (await t.sql<{ id: string }>('select id from pricebook_webhook_deliveries')).map(
      (r) => r.id,
    );
    expect(left.sort()).toEqual([pending, recent].sort());
  });

  it('deletes change-sets the audit retention emptied, and keeps one with a change left', async () => {
    await t.sql('truncate pricebook_changesets');
    const changeSet = async (days: number) =>
      (
        await t.sql<{ id: string }>(
          `insert into pricebook_changesets (id, tenant_id, kind, created_at)
           values (gen_random_uuid(), ?, 'bulk_edit', ${ago(days)}) returning id`,
          [tenantId],
        )
      )[0]?.id;
    await changeSet(120);
    const recent = await changeSet(5);
    const counts = await runHousekeeping({ orm: t.orm, tenantId, retention: everything, batchSize: 10 });
    expect(counts.changeSets).toBe(1);
    expect((await t.sql<{ id: string }>('select id from pricebook_changesets')).map((r) => r.id)).toEqual([
      recent,
    ]);
    // The audit trail kept for ever keeps every change-set.
    await changeSet(400);
    expect(
      (await runHousekeeping({ orm: t.orm, tenantId, retention: defaults, batchSize: 10 })).changeSets,
    ).toBe(0);
  });

  it('deletes nothing when every retention is off', async () => {
    await seed();
    const before = await contents();
    const counts = await runHousekeeping({ orm: t.orm, tenantId, retention: off, batchSize: 2 });
    expect(Object.values(counts).every((n) => n === 0)).toBe(true);
    expect(await contents()).toEqual(before);
  });

  it('deletes ended console sessions once their cookies have expired, whatever the retentions say', async () => {
    await t.sql('truncate pricebook_revoked_sessions, pricebook_session_cutoffs');
    await t.sql(
      `insert into pricebook_revoked_sessions (nonce, kid, expires_at) values
         ('expired', 'viewer:0123456789ab', now() - interval '1 minute'),
         ('live', 'viewer:0123456789ab', now() + interval '1 hour')`,
    );
    await t.sql(
      `insert into pricebook_session_cutoffs (kid, not_before, expires_at, revoked_by) values
         ('operator:0123456789ab', ${ago(1)}, now() - interval '1 minute', 'admin:0123456789ab')`,
    );
    const counts = await runHousekeeping({ orm: t.orm, tenantId, retention: off, batchSize: 2 });
    expect(counts).toMatchObject({ revokedSessions: 1, sessionCutoffs: 1 });
    expect(await t.sql('select nonce from pricebook_revoked_sessions')).toEqual([{ nonce: 'live' }]);
    expect(await t.sql('select kid from pricebook_session_cutoffs')).toEqual([]);
  });

  it('runs on two replicas at once: neither fails, and their counts add up to what went', async () => {
    const { kept } = await seed();
    // A pool of its own, as a second process would have.
    const other = await createOrm(t.url, { poolMax: 2 });
    try {
      const run = (orm: typeof other) =>
        runHousekeeping({ orm, tenantId, retention: everything, batchSize: 1 });
      const [one, two] = await Promise.all([run(t.orm), run(other)]);
      for (const key of Object.keys(allDeleted) as Array<keyof HousekeepingCounts>) {
        expect(one[key] + two[key], key).toBe(allDeleted[key]);
      }
    } finally {
      await other.close();
    }
    const left = await contents();
    for (const [table, ids] of Object.entries(kept)) expect(left[table], table).toEqual([...ids].sort());
  });
});

describe('startHousekeeping', () => {
  it('runs at its tick, counts what it deleted in the metrics, and stops', async () => {
    await seed();
    const metrics = createMetrics({ service: 'scheduler' });
    const tenants = directory([k1]);
    const { runs, now } = await firstRun({
      metrics,
      tenantIds: async () => (await tenants.list()).map((x) => x.tenantId),
    });
    expect(runs).toEqual([allDeleted]);
    expect(now.toISOString()).toBe('2026-12-06T10:17:00.000Z');
    const deleted = await metrics.housekeepingDeleted.get();
    const byTable = Object.fromEntries(deleted.values.map((v) => [v.labels.table, v.value]));
    expect(byTable).toEqual({
      pricebook_outbox: 3,
      pricebook_dead_letters: 1,
      pricebook_quarantine: 1,
      pricebook_changes: 1,
      pricebook_sync_items: 5,
      pricebook_sync_log: 2,
    });
    const runsMetric = await metrics.housekeepingRuns.get();
    expect(runsMetric.values.map((v) => [v.labels.outcome, v.value])).toEqual([['completed', 1]]);
  });

  it("keeps every tenant's tables, paused and removed ones too, and re-seals credentials with the newest key", async () => {
    const stored = directory([k1]);
    for (const id of ['3002', '3003', '3004']) {
      await stored.create({
        tenantId: id,
        name: `Contractor ${id}`,
        clientId: 'client',
        clientSecret: `secret-${id}`,
        appKey: `app-key-${id}`,
        apiBaseUrl: 'https://api.servicetitan.io',
        authUrl: 'https://auth.servicetitan.io',
      });
    }
    await stored.setStatus('3003', 'paused');
    await stored.setStatus('3004', 'removed');
    const kept = [];
    for (const id of ['3001', '3002', '3003', '3004']) kept.push((await seed(id)).kept);
    // The newest key first, the old one still there to open what it sealed.
    const rotated = directory([k2, k1]);
    const metrics = createMetrics({ service: 'scheduler' });
    const { runs } = await firstRun({
      metrics,
      tenantIds: async () => (await rotated.list()).map((x) => x.tenantId),
      credentials: rotated,
    });
    const times4 = Object.fromEntries(Object.entries(allDeleted).map(([k, n]) => [k, 4 * n]));
    expect(runs).toEqual([times4]);
    const left = await contents();
    for (const table of Object.keys(kept[0] ?? {})) {
      expect(left[table], table).toEqual(kept.flatMap((k) => k[table] ?? []).sort());
    }
    const keyIds = await t.sql<{ tenant_id: string; secrets_key_id: string }>(
      `select tenant_id::text as tenant_id, secrets_key_id from pricebook_tenants
        where tenant_id in (3002, 3003) order by tenant_id`,
    );
    expect(keyIds).toEqual([
      { tenant_id: '3002', secrets_key_id: 'k2' },
      { tenant_id: '3003', secrets_key_id: 'k2' },
    ]);
    // Sealed again, not changed: the newest key alone opens them.
    const connection = await directory([k2]).connection('3002');
    expect(connection).toMatchObject({ clientSecret: 'secret-3002', appKey: 'app-key-3002' });
  });
});
