import { connect } from '@nats-io/transport-node';
import { SchedulerControlResponse } from '@pricebook/contracts';
import { openSchedulerState } from '@pricebook/schedule';
import { forFile } from '@pricebook/testing/vitest';
import { describe, expect, it } from 'vitest';
import { cachedSchedulerStates } from '../sync/scheduler-states';
import { call, keys, startHarness } from '../test-support';
import { addTenant } from '../test-support/tenants';

const h = forFile(() => startHarness({ nats: true }));

interface Status {
  scheduler: {
    isRunning: boolean;
    schedules: { fullSync: string; incrementalSync: string };
    timezone: string;
    nextRuns: { fullSync: string | null; incrementalSync: string | null };
  };
}

/** An API replica with its own NATS connection and KV handle, as another process would have. */
async function replica(tenantId: string) {
  const url = h.nats?.server.url;
  if (!url) throw new Error('harness without NATS');
  const nc = await connect({ servers: url });
  const schedulerState = cachedSchedulerStates((t) => openSchedulerState(nc, t));
  const config = {
    scheduler: {
      enabled: true,
      fullCron: '0 2 * * *',
      incrementalCron: '0 */6 * * *',
      timezone: 'America/Chicago',
    },
  };
  return { nc, schedulerState, app: h.app({ tenantId, schedulerState, config }) };
}

describe('scheduler start/stop', () => {
  it('flips the shared switch; every replica reports it with the next runs in the configured zone', async () => {
    const tenant = h.tenant();
    const [a, b] = await Promise.all([replica(tenant), replica(tenant)]);
    try {
      const initial = await call<Status>(b.app, 'GET', '/api/sync/pricebook/status', { key: keys.viewer });
      expect(initial.status).toBe(200);
      expect(initial.body.scheduler).toMatchObject({
        isRunning: true,
        schedules: { fullSync: '0 2 * * *', incrementalSync: '0 */6 * * *' },
        timezone: 'America/Chicago',
      });
      // 2 AM in Chicago is 08:00Z (CST) or 07:00Z (CDT).
      expect(initial.body.scheduler.nextRuns.fullSync).toMatch(/T0[78]:00:00\.000Z$/);
      expect(Date.parse(initial.body.scheduler.nextRuns.incrementalSync ?? '')).toBeGreaterThan(Date.now());

      const stopped = await call<Status>(a.app, 'POST', '/api/sync/pricebook/scheduler/stop', {
        key: keys.admin,
      });
      expect(stopped.status).toBe(200);
      expect(SchedulerControlResponse.safeParse(stopped.body).error).toBeUndefined();
      expect(stopped.body).toMatchObject({ success: true, scheduler: { isRunning: false } });
      expect((await (await a.schedulerState(tenant)).read())?.updatedBy).toMatch(/^api:admin/);

      const seen = await call<Status>(b.app, 'GET', '/api/sync/pricebook/status', { key: keys.viewer });
      expect(seen.body.scheduler).toMatchObject({
        isRunning: false,
        nextRuns: { fullSync: null, incrementalSync: null },
      });

      const started = await call<Status>(b.app, 'POST', '/api/sync/pricebook/scheduler/start', {
        key: keys.admin,
      });
      expect(started.body.scheduler.isRunning).toBe(true);
      const again = await call<Status>(a.app, 'GET', '/api/sync/pricebook/status', { key: keys.viewer });
      expect(again.body.scheduler.isRunning).toBe(true);
      expect(again.body.scheduler.nextRuns.fullSync).not.toBeNull();
    } finally {
      await Promise.all([a.nc.close(), b.nc.close()]);
    }
  });

  it('is idempotent', async () => {
    const tenant = h.tenant();
    const a = await replica(tenant);
    try {
      for (let i = 0; i < 2; i++) {
        const res = await call<Status>(a.app, 'POST', '/api/sync/pricebook/scheduler/stop', {
          key: keys.admin,
        });
        expect(res.body.scheduler.isRunning).toBe(false);
      }
    } finally {
      await a.nc.close();
    }
  });

  it("keeps each tenant's switch and schedule its own", async () => {
    const own = h.tenant();
    const other = h.tenant();
    await addTenant(h, other, { schedule: { fullCron: '0 4 * * *', timezone: 'Europe/Paris' } });
    const a = await replica(own);
    const asOther = { key: keys.admin, headers: { 'pricebook-tenant': other } };
    try {
      const stopped = await call<Status>(a.app, 'POST', '/api/sync/pricebook/scheduler/stop', asOther);
      expect(stopped.status).toBe(200);
      expect(stopped.body.scheduler).toMatchObject({
        isRunning: false,
        // Its own full cron and zone; the deployment's incremental cron, which it left unset.
        schedules: { fullSync: '0 4 * * *', incrementalSync: '0 */6 * * *' },
        timezone: 'Europe/Paris',
      });
      expect((await (await a.schedulerState(other)).read())?.enabled).toBe(false);

      const ownStatus = await call<Status>(a.app, 'GET', '/api/sync/pricebook/status', { key: keys.viewer });
      expect(ownStatus.body.scheduler).toMatchObject({
        isRunning: true,
        schedules: { fullSync: '0 2 * * *' },
        timezone: 'America/Chicago',
      });
      expect((await (await a.schedulerState(own)).read())?.enabled).not.toBe(false);
      const otherStatus = await call<Status>(a.app, 'GET', '/api/sync/pricebook/status', asOther);
      expect(otherStatus.body.scheduler).toMatchObject({
        isRunning: false,
        schedules: { fullSync: '0 4 * * *' },
      });
    } finally {
      await a.nc.close();
    }
  });
});
