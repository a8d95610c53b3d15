import { jetstreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { subjects } from '@pricebook/contracts';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  everySecond,
  type Replica,
  type SchedulerHarness,
  startSchedulerHarness,
  until,
  yearly,
} from './test-support';

let h: SchedulerHarness;
beforeEach(async () => {
  h = await startSchedulerHarness();
});
afterEach(() => h.close());

/** Every other second: a cron of its own, told apart from `everySecond` by its ticks. */
const everyOtherSecond = '*/2 * * * * *';

const ticksOf = (r: Replica, tenant: string) => r.fired.filter((f) => f.tenant === tenant);
const outcomesOf = (replicas: Replica[], tenant: string) =>
  replicas.flatMap((r) => r.outcomes).filter((o) => o.tenant === tenant);

/** The last sync command on the tenant's own subject, as the fetcher would receive it. */
async function lastSyncCommand(nc: NatsConnection, tenant: string) {
  const jsm = await jetstreamManager(nc);
  const stored = await jsm.streams.getMessage('PRICEBOOK_COMMANDS', {
    last_by_subj: subjects.command(tenant, 'sync'),
  });
  return stored?.json<{ tenant: string; type: string; data: { syncLogId: string } }>();
}

const syncLogs = (tenant: string) =>
  h.sql<{ status: string; triggered_by: string; error_message: string | null }>(
    'select status, triggered_by, error_message from pricebook_sync_log where tenant_id = ? order by created_at',
    [tenant],
  );

describe('a scheduler serving several tenants', () => {
  it("gives each tenant its syncs on its own cron, once per tick across replicas, and leaves the environment's tenant on the defaults", async () => {
    // Two tenants on the same cron: their ticks share instants, never message ids.
    await h.addTenant('4001', { incrementalCron: everySecond });
    await h.addTenant('4002', { incrementalCron: everySecond });
    await h.addTenant('4003', { incrementalCron: everyOtherSecond, timezone: 'America/Chicago' });
    // The deployment's defaults, which the environment's tenant (3001) runs on, stay quiet.
    const defaults = { fullCron: yearly, incrementalCron: yearly };
    const [a, b] = await Promise.all([h.replica(defaults), h.replica(defaults)]);
    const replicas = [a, b];
    expect(a.scheduler.scheduled().get('4003')).toEqual({
      fullCron: yearly,
      incrementalCron: everyOtherSecond,
      timezone: 'America/Chicago',
    });
    expect(a.scheduler.scheduled().get(h.tenant)).toEqual({
      fullCron: yearly,
      incrementalCron: yearly,
      timezone: 'UTC',
    });

    const published = (tenant: string, stored?: boolean) =>
      replicas
        .flatMap((r) => r.published)
        .filter((p) => p.tenant === tenant && (stored === undefined || p.duplicate !== stored))
        .map((p) => p.tickAt);
    const sharedInstants = () => published('4001').filter((t) => published('4002').includes(t));
    await until('three consumed ticks of each stored tenant, three instants shared by two', () =>
      ['4001', '4002', '4003'].every((t) => outcomesOf(replicas, t).length >= 3) &&
      sharedInstants().length >= 3
        ? true
        : undefined,
    );
    const commands = new Map<string, Awaited<ReturnType<typeof lastSyncCommand>>>();
    for (const tenant of ['4001', '4002', '4003']) {
      // Stored on the tenant's own subject (`last_by_subj`), naming the tenant.
      const command = await until(`the sync command of ${tenant}`, () => lastSyncCommand(a.nc, tenant));
      expect(command).toMatchObject({
        tenant,
        type: 'sync.command',
        data: { fullSync: false, requestedBy: 'scheduler:incremental' },
      });
      commands.set(tenant, command);
    }
    await a.stop();
    await b.stop();

    for (const tenant of ['4001', '4002', '4003']) {
      const outcomes = outcomesOf(replicas, tenant);
      const ticks = outcomes.map((o) => o.tickAt);
      expect(new Set(ticks).size, tenant).toBe(ticks.length);
      // No fetcher runs: the first sync keeps its run locks and later ticks are skipped.
      expect(
        outcomes.filter((o) => o.kind === 'created'),
        tenant,
      ).toHaveLength(1);
      const rows = await syncLogs(tenant);
      expect(rows).toHaveLength(outcomes.length);
      expect(rows.every((r) => r.triggered_by === 'scheduler:incremental')).toBe(true);
    }
    // Same instant, two tenants: JetStream kept a copy of each (the ids name the tenant), one per tenant.
    for (const tickAt of new Set(sharedInstants())) {
      for (const tenant of ['4001', '4002']) {
        expect(
          published(tenant, true).filter((t) => t === tickAt),
          `${tenant} ${tickAt}`,
        ).toHaveLength(1);
      }
    }
    // Each on its own cron: 4003 only on even seconds, 4001 on odd ones too.
    const seconds = (tenant: string) =>
      replicas.flatMap((r) => ticksOf(r, tenant)).map((t) => new Date(t.tickAt).getUTCSeconds());
    expect(seconds('4003').every((s) => s % 2 === 0)).toBe(true);
    expect(seconds('4001').some((s) => s % 2 === 1)).toBe(true);
    expect(replicas.flatMap((r) => ticksOf(r, h.tenant))).toEqual([]);
    expect(await syncLogs(h.tenant)).toEqual([]);
  });

  it("stops a paused tenant and a removed one, keeps the removed one's history, while the others go on", async () => {
    for (const tenant of ['4001', '4002', '4003'])
      await h.addTenant(tenant, { incrementalCron: everySecond });
    const r = await h.replica({ incrementalCron: yearly });
    await until('ticks of every tenant', () =>
      ['4001', '4002', '4003'].every((t) => ticksOf(r, t).length >= 2) ? true : undefined,
    );

    await h.tenants.setStatus('4001', 'paused');
    await h.tenants.setStatus('4002', 'removed');
    await until('the paused and removed tenants unscheduled', () =>
      !r.scheduler.scheduled().has('4001') && !r.scheduler.scheduled().has('4002') ? true : undefined,
    );
    const paused = ticksOf(r, '4001').length;
    const removed = ticksOf(r, '4002').length;
    const active = ticksOf(r, '4003').length;
    await until('three more ticks of the active tenant', () =>
      ticksOf(r, '4003').length >= active + 3 ? true : undefined,
    );
    expect(ticksOf(r, '4001')).toHaveLength(paused);
    expect(ticksOf(r, '4002')).toHaveLength(removed);
    expect(r.scheduler.isEnabled('4001')).toBe(false);
    // Removing a tenant stops its schedules; its data stays.
    expect((await syncLogs('4002')).length).toBeGreaterThan(0);

    // Resumed, it is scheduled again.
    await h.tenants.setStatus('4001', 'active');
    await until('ticks of the resumed tenant', () => (ticksOf(r, '4001').length > paused ? true : undefined));
  });

  it('drops a tick published before its tenant was paused', async () => {
    await h.addTenant('4001', { incrementalCron: everySecond });
    // A refresh too rare to come during the test: the paused tenant's ticks still go out.
    const r = await h.replica({ incrementalCron: yearly, refreshMs: 600_000 });
    await until('a consumed tick', () => outcomesOf([r], '4001')[0]);
    await h.tenants.setStatus('4001', 'paused');
    const dropped = await until('a tick dropped as inactive', () =>
      outcomesOf([r], '4001').find((o) => o.kind === 'inactive'),
    );
    expect(dropped).toMatchObject({ kind: 'inactive', status: 'paused' });
  });

  it('picks up a schedule change', async () => {
    await h.addTenant('4001');
    const r = await h.replica({ incrementalCron: yearly });
    expect(r.scheduler.scheduled().get('4001')?.incrementalCron).toBe(yearly);
    expect(ticksOf(r, '4001')).toEqual([]);

    await h.tenants.update('4001', { schedule: { incrementalCron: everySecond } });
    await until('ticks on the new cron', () => (ticksOf(r, '4001').length >= 2 ? true : undefined));
    expect(r.scheduler.scheduled().get('4001')?.incrementalCron).toBe(everySecond);
    await until('a sync of the tenant', () => outcomesOf([r], '4001').find((o) => o.kind === 'created'));

    // Back to the deployment's cron (null): quiet again.
    await h.tenants.update('4001', { schedule: { incrementalCron: null } });
    await until('the default cron back', () =>
      r.scheduler.scheduled().get('4001')?.incrementalCron === yearly ? true : undefined,
    );

    // Changed to a cron that cannot run: its schedules stop, with the reason.
    await h.tenants.update('4001', { schedule: { incrementalCron: 'every now and then' } });
    const problem = await until('the invalid cron noticed, the schedules stopped', () =>
      r.scheduler.scheduled().has('4001') ? undefined : r.scheduler.problems()[0],
    );
    expect(problem).toMatchObject({ tenantId: '4001', schedules: ['incremental'] });
  });

  it('leaves a tenant with an invalid cron unscheduled, with its reason recorded, and serves the others', async () => {
    await h.addTenant('4001', { fullCron: '61 * * * *' });
    await h.addTenant('4002', { incrementalCron: everySecond });
    await h.addTenant('4003', { timezone: 'Mars/Olympus_Mons' });
    const r = await h.replica({ incrementalCron: yearly });

    expect(r.scheduler.scheduled().has('4001')).toBe(false);
    expect(r.scheduler.scheduled().has('4003')).toBe(false);
    const problems = Object.fromEntries(r.scheduler.problems().map((p) => [p.tenantId, p]));
    expect(problems['4001']?.schedules).toEqual(['full']);
    expect(problems['4001']?.reason).toMatch(/^full cron "61 \* \* \* \*" is not valid: /);
    expect(problems['4003']?.schedules).toEqual(['full', 'incremental']);
    expect(problems['4003']?.reason).toMatch(/^time zone "Mars\/Olympus_Mons" is not valid: /);
    // Recorded where the tenant's syncs are: once, however often the scheduler looks.
    const recorded = await syncLogs('4001');
    expect(recorded).toHaveLength(1);
    expect(recorded[0]).toMatchObject({ status: 'cancelled', triggered_by: 'scheduler:full' });
    expect(recorded[0]?.error_message).toMatch(
      /^no scheduled syncs: full cron "61 \* \* \* \*" is not valid/,
    );
    expect((await syncLogs('4003')).map((row) => row.triggered_by)).toEqual([
      'scheduler:full',
      'scheduler:incremental',
    ]);

    await until('syncs of the valid tenant', () => outcomesOf([r], '4002').find((o) => o.kind === 'created'));
    expect(outcomesOf([r], '4001')).toEqual([]);
    // A second replica reads the same reason: nothing more recorded within the day.
    await h.replica({ incrementalCron: yearly });
    expect(await syncLogs('4001')).toHaveLength(1);

    // Fixed, it is scheduled.
    await h.tenants.update('4001', { schedule: { fullCron: yearly, incrementalCron: everySecond } });
    await until('ticks of the fixed tenant', () => (ticksOf(r, '4001').length > 0 ? true : undefined));
    expect(r.scheduler.problems().map((p) => p.tenantId)).toEqual(['4003']);
  });
});
