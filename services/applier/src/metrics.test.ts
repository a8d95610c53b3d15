import { publish, publishAll } from '@pricebook/messaging';
import { createMetrics, type EngineMetrics } from '@pricebook/observability';
import { type StartedSandbox, startSandbox } from '@pricebook/testing';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type ApplierRuntime, startApplier } from './runtime';
import {
  count,
  createDecision,
  createSync,
  decided,
  fence,
  type Harness,
  hashOf,
  material,
  resetDatabase,
  seedRows,
  startHarness,
  syncLog,
  testTenantsEnv,
  until,
} from './test-support';

let h: Harness;
let runtime: ApplierRuntime;
let metrics: EngineMetrics;
let st: StartedSandbox;

beforeAll(async () => {
  // ServiceTitan, for the full sync to confirm by id that the row it did not list is gone.
  [h, st] = await Promise.all([startHarness(), startSandbox({ tenantId: '1001' })]);
  await resetDatabase(h);
  metrics = createMetrics({ service: 'applier' });
  runtime = startApplier({
    orm: h.orm,
    js: h.js,
    log: h.log,
    metrics,
    env: {
      ...testTenantsEnv({
        ST_API_BASE_URL: st.baseUrl,
        ST_AUTH_URL: st.authUrl,
        ST_CLIENT_ID: st.clientId,
        ST_CLIENT_SECRET: st.clientSecret,
        ST_APP_KEY: st.appKey,
      }),
      SYNC_MASS_DELETE_MAX_SHARE: 1,
      APPLIER_BATCH_SIZE: 100,
      APPLIER_DECIDED_CONCURRENCY: 1,
      APPLIER_LINGER_MS: 20,
      APPLIER_FENCE_CONCURRENCY: 1,
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
  await Promise.all([h?.close(), st?.stop()]);
});

/** The value of one labelled series, read through prom-client's own API. */
async function value(name: string, labels: Record<string, string> = {}): Promise<number> {
  const metric = await metrics.registry.getSingleMetric(name)?.get();
  const sample = metric?.values.find((v) =>
    Object.entries(labels).every(([k, l]) => String(v.labels[k] ?? '') === l),
  );
  return sample?.value ?? 0;
}

it('counts applied records by operation after commit, settled messages, and the sync duration', async () => {
  const changed = material(2);
  await seedRows(h, [material(1), material(2), material(3)]);
  const syncId = await createSync(h);
  const updated = { ...changed, price: 99 };
  await publishAll(h.js, [
    createDecision(syncId, material(10)),
    createDecision(syncId, material(11)),
    decided(syncId, 2, {
      action: 'update',
      record: updated,
      hash: hashOf(updated),
      changedFields: ['price'],
      expected: { contentHash: hashOf(changed), localModifiedAt: null, version: 1 },
    }),
    decided(syncId, 3, { action: 'skip', hash: hashOf(material(3)) }),
  ]);
  await publish(h.js, fence(syncId, { published: 4 }));
  await until('the sync to complete', async () => (await syncLog(h, syncId)).status === 'completed');
  await until(
    'the outbox to drain',
    async () => (await count(h, 'select count(*) n from pricebook_outbox where published_at is null')) === 0,
  );
  const durations = async () =>
    (await metrics.syncDuration.get()).values.find(
      (v) => v.metricName === 'pricebook_sync_duration_seconds_count' && v.labels.status === 'completed',
    )?.value ?? 0;
  await until('the duration to be observed', async () => (await durations()) === 1);
  expect((await metrics.syncDuration.get()).values).toContainEqual(
    expect.objectContaining({
      metricName: 'pricebook_sync_duration_seconds_count',
      labels: { type: 'full', status: 'completed', tenant: '1001' },
    }),
  );

  expect(await value('pricebook_records_total', { operation: 'created', entity: 'materials' })).toBe(2);
  expect(await value('pricebook_records_total', { operation: 'updated', entity: 'materials' })).toBe(1);
  expect(await value('pricebook_records_total', { operation: 'skipped', entity: 'materials' })).toBe(1);
  expect(await value('pricebook_consumer_messages_total', { consumer: 'applier', outcome: 'ack' })).toBe(4);
  expect(
    await value('pricebook_consumer_messages_total', { consumer: 'applier-fence', outcome: 'ack' }),
  ).toBeGreaterThanOrEqual(1);
  const text = await metrics.scrape();
  expect(text).toContain(
    'pricebook_records_total{operation="created",entity="materials",tenant="1001",service="applier"} 2',
  );
});
