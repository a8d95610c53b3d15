import { randomUUID } from 'node:crypto';
import { consumers, createMessage, type Message } from '@pricebook/contracts';
import { createSync as queueApiSync } from '@pricebook/db';
import { provision, publish, publishAll } from '@pricebook/messaging';
import { createMetrics, type EngineMetrics } from '@pricebook/observability';
import { TenantDirectory } from '@pricebook/tenants';
import { type SandboxTenant, type StartedSandbox, startSandbox } from '@pricebook/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApplierRuntime, startApplier } from './runtime';
import {
  count,
  createDecision,
  createSync,
  fence,
  type Harness,
  material,
  resetDatabase,
  startHarness,
  syncLog,
  tenant,
  testTenantsEnv,
  until,
} from './test-support';

// One applier serving several tenants: the environment's own (A, 1001) and tenants added to the
// directory, each with its own sandbox tenant, credentials and application GUID.
const A = tenant;
const B = '1002';
/** Known to the directory with a client secret ServiceTitan refuses. */
const REFUSED = '1003';
const REMOVED = '1004';
const PAUSED = '1005';
const GUID_A = '6f1c9a52-3a51-4c47-9a0e-0d3f6b1a2c01';
const GUID_B = '6f1c9a52-3a51-4c47-9a0e-0d3f6b1a2c02';

let h: Harness;
let sb: StartedSandbox;
let sbB: SandboxTenant;
let metrics: EngineMetrics;
let runtime: ApplierRuntime;

beforeAll(async () => {
  [h, sb] = await Promise.all([startHarness(), startSandbox({ tenantId: A, items: 4, seed: 7 })]);
  await provision(h.jsm, { consumers: [consumers.pusher, consumers.resolver, consumers.inbound] });
  await resetDatabase(h);
  sbB = await sb.control.createTenant({
    tenantId: B,
    clientId: 'cid.tenant-b',
    clientSecret: 'cs.tenant-b-secret',
    appKey: 'ak.tenant-b',
    items: 4,
  });
  const sbRefused = await sb.control.createTenant({ tenantId: REFUSED, items: 0 });
  const env = testTenantsEnv({
    ST_API_BASE_URL: sb.baseUrl,
    ST_AUTH_URL: sb.authUrl,
    ST_CLIENT_ID: sb.clientId,
    ST_CLIENT_SECRET: sb.clientSecret,
    ST_APP_KEY: sb.appKey,
    ST_APPLICATION_GUID: GUID_A,
  });
  const tenants = new TenantDirectory(h.orm, env);
  const added = (tenantId: string, login: { clientId: string; clientSecret: string; appKey: string }) => ({
    tenantId,
    name: `Contractor ${tenantId}`,
    clientId: login.clientId,
    clientSecret: login.clientSecret,
    appKey: login.appKey,
    apiBaseUrl: sb.baseUrl,
    authUrl: sb.authUrl,
  });
  await tenants.create({ ...added(B, sbB), applicationGuid: GUID_B });
  await tenants.create({
    ...added(REFUSED, { ...sbRefused, clientSecret: 'not-the-secret' }),
    applicationGuid: randomUUID(),
  });
  for (const id of [REMOVED, PAUSED]) await tenants.create({ ...added(id, sbB), applicationGuid: GUID_B });
  await tenants.setStatus(REMOVED, 'removed');
  await tenants.setStatus(PAUSED, 'paused');

  metrics = createMetrics({ service: 'applier' });
  runtime = startApplier({
    orm: h.orm,
    js: h.js,
    log: h.log,
    metrics,
    env: {
      ...env,
      SYNC_MASS_DELETE_MAX_SHARE: 1,
      APPLIER_BATCH_SIZE: 100,
      APPLIER_DECIDED_CONCURRENCY: 1,
      APPLIER_LINGER_MS: 20,
      APPLIER_FENCE_CONCURRENCY: 2,
      APPLIER_PROGRESS_INTERVAL_MS: 0,
      RELAY_BATCH_SIZE: 100,
      RELAY_CONCURRENCY: 16,
      RELAY_IDLE_MS: 20,
      WATCHDOG_STALL_MS: 1_800_000,
      WATCHDOG_INTERVAL_MS: 30_000,
    },
  });
});
afterAll(async () => {
  await runtime?.stop();
  await Promise.all([h?.close(), sb?.stop()]);
});

/** A message as the tenant's own: the same content, another tenant in its envelope. */
function of<M extends Message>(tenantId: string, message: M): M {
  return { ...message, tenant: tenantId };
}

/** The value of one labelled series, read through prom-client's own API. */
async function value(name: string, labels: Record<string, string>): Promise<number> {
  const metric = await metrics.registry.getSingleMetric(name)?.get();
  const sample = metric?.values.find((v) =>
    Object.entries(labels).every(([k, l]) => String(v.labels[k] ?? '') === l),
  );
  return sample?.value ?? 0;
}

async function ended(syncId: string): Promise<Record<string, unknown>> {
  await until(`sync ${syncId} to end`, async () =>
    ['completed', 'failed'].includes(String((await syncLog(h, syncId)).status)),
  );
  return syncLog(h, syncId);
}

/**
 * A sync that pulls nothing and pushes the tenant's pending edits, as the API starts one: its
 * fetch part ends at an empty fence, and the pipeline hands it to the write-back.
 */
async function pushSync(tenantId: string): Promise<string> {
  const { syncLogId } = await queueApiSync(h.orm.em.fork(), {
    tenantId,
    syncType: 'incremental',
    options: { direction: 'bidirectional', entityTypes: ['materials'] },
    staleAfterMs: 600_000,
  });
  await publish(h.js, of(tenantId, fence(syncLogId, { published: 0 })));
  return syncLogId;
}

/** A material made locally (a person's create), waiting to be pushed. */
async function localCreate(tenantId: string, code: string): Promise<string> {
  const [row] = await h.sql<{ id: string }>(
    `insert into pricebook_materials (tenant_id, code, description, price) values (?, ?, 'local', 4) returning id`,
    [tenantId, code],
  );
  if (!row) throw new Error('no row');
  return row.id;
}

async function rowOf(id: string) {
  const [row] = await h.sql<{ tenant_id: string; st_id: string | null; sync_status: string }>(
    'select tenant_id::text as tenant_id, st_id::text as st_id, sync_status from pricebook_materials where id = ?',
    [id],
  );
  return row;
}

describe('one applier serving several tenants', () => {
  it("applies each tenant's decisions to that tenant's rows, and counts them per tenant", async () => {
    const syncA = await createSync(h, { tenantId: A });
    const syncB = await createSync(h, { tenantId: B });
    await publishAll(h.js, [
      createDecision(syncA, material(101)),
      createDecision(syncA, material(102)),
      of(B, createDecision(syncB, material(201))),
    ]);
    await publish(h.js, fence(syncA, { published: 2 }));
    await publish(h.js, of(B, fence(syncB, { published: 1 })));
    expect(await ended(syncA)).toMatchObject({ status: 'completed', records_created: 2 });
    expect(await ended(syncB)).toMatchObject({ status: 'completed', records_created: 1 });

    const rows = await h.sql<{ tenant_id: string; st_id: string }>(
      'select tenant_id::text as tenant_id, st_id::text as st_id from pricebook_materials order by st_id',
    );
    expect(rows).toEqual([
      { tenant_id: A, st_id: '101' },
      { tenant_id: A, st_id: '102' },
      { tenant_id: B, st_id: '201' },
    ]);
    const created = (t: string) => ({ operation: 'created', entity: 'materials', tenant: t });
    expect(await value('pricebook_records_total', created(A))).toBe(2);
    expect(await value('pricebook_records_total', created(B))).toBe(1);
    const durations = async (t: string) =>
      (await metrics.syncDuration.get()).values.find(
        (v) =>
          v.metricName === 'pricebook_sync_duration_seconds_count' &&
          v.labels.status === 'completed' &&
          v.labels.tenant === t,
      )?.value ?? 0;
    await until(
      'both durations to be observed',
      async () => (await durations(A)) + (await durations(B)) === 2,
    );
    expect(await durations(B)).toBe(1);
  });

  it("confirms tenant B's unlisted rows by id with B's client before a full sync deletes them", async () => {
    // Before B pushes anything: every row of B then is one ServiceTitan does not have.
    await h.orm.em.fork().transactional(async (em) => {
      await em.execute(`select set_config('pricebook.origin', 'st', true)`);
      await em.execute(
        `insert into pricebook_materials (tenant_id, st_id, data, base, content_hash, last_synced_at, sync_status)
         values (?, 777777, ?::jsonb, ?::jsonb, 'h', now(), 'synced')`,
        [B, JSON.stringify(material(777777)), JSON.stringify(material(777777))],
      );
    });
    await sb.control.resetStats();
    const syncId = await createSync(h, { tenantId: B, syncType: 'full' });
    await publish(h.js, of(B, fence(syncId, { published: 0 })));
    expect(await ended(syncId)).toMatchObject({ status: 'completed' });

    const [gone] = await h.sql<{ deleted_at: string | null }>(
      'select deleted_at from pricebook_materials where tenant_id = ? and st_id = 777777',
      [B],
    );
    expect(gone?.deleted_at).not.toBeNull();
    const used = (await sb.control.stats()).rateLimit.filter((k) => k.accepted > 0);
    expect(used.map((k) => [k.appKey, k.tenantId])).toEqual([[sbB.appKey, B]]);
  });

  it("pushes tenant B's edits with B's credentials, tagged with B's application GUID", async () => {
    const id = await localCreate(B, 'B-LOCAL-1');
    await sb.control.resetStats();
    const syncId = await pushSync(B);
    expect(await ended(syncId)).toMatchObject({ status: 'completed', error_message: null });

    const row = await rowOf(id);
    expect(row).toMatchObject({ tenant_id: B, sync_status: 'synced' });
    const made = (await sb.control.forTenant(B).items('materials')).find((i) => i.code === 'B-LOCAL-1');
    expect(made?.id).toBe(Number(row?.st_id));
    expect(made?.externalDataByApp[GUID_B]).toEqual([{ key: 'pricebookLocalId', value: id }]);
    expect(made?.externalDataByApp[GUID_A]).toBeUndefined();
    expect((await sb.control.items('materials')).some((i) => i.code === 'B-LOCAL-1')).toBe(false);
    // Every request ServiceTitan let through came with B's application key, for B.
    const used = (await sb.control.stats()).rateLimit.filter((k) => k.accepted > 0);
    expect(used.map((k) => [k.appKey, k.tenantId])).toEqual([[sbB.appKey, B]]);
    expect(await value('pricebook_st_requests_total', { status: '200', tenant: B })).toBeGreaterThan(0);
  });

  it("fails the push of a tenant whose credentials ServiceTitan refuses, with the reason, and A's push goes on", async () => {
    const refusedRow = await localCreate(REFUSED, 'REFUSED-1');
    const aRow = await localCreate(A, 'A-LOCAL-1');
    const [refusedSync, aSync] = await Promise.all([pushSync(REFUSED), pushSync(A)]);

    expect(await ended(refusedSync)).toMatchObject({
      status: 'failed',
      error_message: expect.stringMatching(/^push_failed: ServiceTitan refused the client credentials/),
    });
    expect(await rowOf(refusedRow)).toMatchObject({ st_id: null, sync_status: 'pending_sync' });
    expect(await ended(aSync)).toMatchObject({ status: 'completed', error_message: null });
    expect(await rowOf(aRow)).toMatchObject({ tenant_id: A, sync_status: 'synced' });
    const made = (await sb.control.items('materials')).find((i) => i.code === 'A-LOCAL-1');
    expect(made?.externalDataByApp[GUID_A]).toEqual([{ key: 'pricebookLocalId', value: aRow }]);
  });

  it('fails the push of a paused tenant with the reason, sending nothing', async () => {
    const id = await localCreate(PAUSED, 'PAUSED-1');
    await sb.control.resetStats();
    const syncId = await pushSync(PAUSED);
    expect(await ended(syncId)).toMatchObject({
      status: 'failed',
      error_message: `tenant_unavailable: tenant ${PAUSED} is paused`,
    });
    expect(await rowOf(id)).toMatchObject({ st_id: null, sync_status: 'pending_sync' });
    expect((await sb.control.stats()).totalRequests).toBe(0);
  });

  it('dead-letters, with the reason, a standalone push (no sync to fail) of a paused tenant', async () => {
    const syncLogId = randomUUID();
    await publish(
      h.js,
      createMessage('push.command', {
        id: `push:${syncLogId}`,
        tenant: PAUSED,
        correlationId: syncLogId,
        data: { syncLogId, entityTypes: ['materials'] },
      }),
    );
    await until(
      'the push to be dead-lettered',
      async () =>
        (await count(h, `select count(*) as n from pricebook_dead_letters where consumer = 'applier-push'`)) >
        0,
    );
    const [letter] = await h.sql<{ tenant_id: string; reason: string }>(
      `select tenant_id::text as tenant_id, reason from pricebook_dead_letters where consumer = 'applier-push'`,
    );
    expect(letter).toEqual({
      tenant_id: PAUSED,
      reason: expect.stringMatching(/tenant_unavailable: tenant 1005 is paused/),
    });
  });

  it('dead-letters inbound edits for a tenant the directory does not know or removed, with the reason', async () => {
    const upsert = (tenantId: string, code: string) =>
      createMessage('inbound.upsert', {
        id: `test:${randomUUID()}`,
        tenant: tenantId,
        correlationId: 'test-run',
        causationId: null,
        data: { entity: 'materials', record: { code, description: 'inbound', price: 3 } },
      });
    for (const m of [upsert('9999', 'UNKNOWN-1'), upsert(REMOVED, 'REMOVED-1'), upsert(B, 'KNOWN-1')]) {
      await publish(h.js, m);
    }
    await until('the inbound edits to settle', async () => {
      const info = await h.jsm.consumers.info(consumers.inbound.stream, consumers.inbound.name);
      return info.num_pending === 0 && info.num_ack_pending === 0;
    });

    const letters = await h.sql<{ tenant_id: string; reason: string }>(
      `select tenant_id::text as tenant_id, reason from pricebook_dead_letters
        where consumer = 'applier-inbound' order by stream_seq`,
    );
    expect(letters).toEqual([
      { tenant_id: '9999', reason: expect.stringMatching(/not_found: no tenant 9999/) },
      { tenant_id: REMOVED, reason: expect.stringMatching(/tenant_unavailable: tenant 1004 was removed/) },
    ]);
    const codes = await h.sql<{ tenant_id: string; code: string }>(
      `select tenant_id::text as tenant_id, code from pricebook_materials
        where code in ('UNKNOWN-1', 'REMOVED-1', 'KNOWN-1')`,
    );
    expect(codes).toEqual([{ tenant_id: B, code: 'KNOWN-1' }]);
    expect(
      await count(h, 'select count(*) as n from pricebook_materials where tenant_id in (9999, 1004)'),
    ).toBe(0);
  });
});
