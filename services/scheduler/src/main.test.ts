import { freePort, startService } from '@pricebook/testing';
import { forFile } from '@pricebook/testing/vitest';
import { describe, expect, it } from 'vitest';
import { everySecond, startSchedulerHarness, until, yearly } from './test-support';

const h = forFile(() => startSchedulerHarness());

describe('scheduler process', () => {
  it('two processes on a one-second cron give one sync log row per tick, run housekeeping side by side, and stop on SIGTERM', async () => {
    const env = {
      DATABASE_URL: h.db.url,
      NATS_URL: h.nats.url,
      ST_TENANT_ID: h.tenant,
      SYNC_FULL_CRON: yearly,
      SYNC_INCREMENTAL_CRON: everySecond,
      SYNC_RUN_OVERDUE_ON_START: 'false',
      // Both processes also run housekeeping at every tick, side by side.
      HOUSEKEEPING_CRON: everySecond,
      LOG_LEVEL: 'info',
    };
    // Each process serves its health/metrics port; two on one host need two ports.
    const [portA, portB] = [await freePort(), await freePort()];
    const [a, b] = await Promise.all([
      startService({ name: 'scheduler', env: { ...env, HEALTH_PORT: String(portA) } }),
      startService({ name: 'scheduler', env: { ...env, HEALTH_PORT: String(portB) } }),
    ]);
    const rows = () =>
      h.sql<{ error_message: string | null }>(
        `select error_message from pricebook_sync_log where tenant_id = ? and triggered_by = 'scheduler:incremental'`,
        [h.tenant],
      );
    await until('three scheduled sync log rows', async () => ((await rows()).length >= 3 ? true : undefined));
    await until('a housekeeping run in each process', () =>
      [a, b].every((p) => p.output().includes('"msg":"housekeeping run finished"')) ? true : undefined,
    );
    await Promise.all([a.stop(), b.stop()]);
    expect(a.output()).toContain('"msg":"scheduler stopped"');
    expect(a.output() + b.output()).not.toContain('housekeeping run failed');
    // Skips name their tick: one row per tick means no tick appears twice.
    const ticks = (await rows()).flatMap((r) => /\(tick ([^)]+)\)/.exec(r.error_message ?? '')?.[1] ?? []);
    expect(ticks.length).toBeGreaterThanOrEqual(2);
    expect(new Set(ticks).size).toBe(ticks.length);
  });
});

describe('scheduler process with stored tenants', () => {
  it("runs a stored tenant's own cron beside the environment's tenant, and stops it when paused", async () => {
    await h.addTenant('4101', { incrementalCron: everySecond });
    const env = {
      DATABASE_URL: h.db.url,
      NATS_URL: h.nats.url,
      ST_TENANT_ID: h.tenant,
      SYNC_FULL_CRON: yearly,
      SYNC_INCREMENTAL_CRON: yearly,
      SYNC_RUN_OVERDUE_ON_START: 'false',
      TENANT_REFRESH_MS: '200',
      HOUSEKEEPING_CRON: 'off',
      HEALTH_PORT: String(await freePort()),
      LOG_LEVEL: 'info',
    };
    const rows = (tenant: string) =>
      h.sql(
        `select 1 from pricebook_sync_log where tenant_id = ? and triggered_by = 'scheduler:incremental'`,
        [tenant],
      );
    // The first test's processes ran the environment's tenant every second; its default is yearly here.
    const before = (await rows(h.tenant)).length;
    const p = await startService({ name: 'scheduler', env });
    try {
      await until('two scheduled syncs of the stored tenant', async () =>
        (await rows('4101')).length >= 2 ? true : undefined,
      );
      await h.tenants.setStatus('4101', 'paused');
      await until('its schedules stopped', () =>
        /"tenant":"4101","why":"paused","msg":"tenant schedules stopped"/.test(p.output()) ? true : undefined,
      );
      expect(await rows(h.tenant)).toHaveLength(before);
    } finally {
      await p.stop();
    }
    expect(p.output()).toContain('"msg":"scheduler stopped"');
  });
});
