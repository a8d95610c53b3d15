import { openSchedulerState } from '@pricebook/schedule';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { everySecond, type SchedulerHarness, startSchedulerHarness, until, yearly } from './test-support';

let h: SchedulerHarness;
beforeEach(async () => {
  h = await startSchedulerHarness();
});
afterEach(() => h.close());

interface LogRow {
  status: string;
  error_message: string | null;
  triggered_by: string | null;
}

const logsOf = (triggeredBy: string) =>
  h.sql<LogRow>(
    'select status, error_message, triggered_by from pricebook_sync_log where tenant_id = ? and triggered_by = ? order by created_at',
    [h.tenant, triggeredBy],
  );

describe('scheduler replicas', () => {
  it('turn each tick into exactly one sync log row, however many replicas fire it', async () => {
    const [a, b] = await Promise.all([h.replica(), h.replica()]);
    // Ticks both replicas published, and that were consumed.
    const sharedConsumed = () => {
      const byA = new Set(a.published.map((p) => p.tickAt));
      const byB = new Set(b.published.map((p) => p.tickAt));
      const consumed = [...a.outcomes, ...b.outcomes].map((o) => o.tickAt);
      return consumed.filter((t) => byA.has(t) && byB.has(t));
    };
    await until('three ticks fired by both replicas and consumed', () =>
      sharedConsumed().length >= 3 ? true : undefined,
    );
    await a.stop();
    await b.stop();

    const outcomes = [...a.outcomes, ...b.outcomes];
    const ticks = outcomes.map((o) => o.tickAt);
    expect(new Set(ticks).size).toBe(ticks.length);
    // JetStream stored each tick once: every other copy was a duplicate.
    const stored = [...a.published, ...b.published].filter((p) => !p.duplicate).map((p) => p.tickAt);
    expect(new Set(stored).size).toBe(stored.length);

    const rows = await logsOf('scheduler:incremental');
    expect(rows).toHaveLength(outcomes.length);
    // No fetcher runs here, so the first sync keeps its run locks and later ticks are skipped.
    expect(rows[0]?.status).toBe('queued');
    for (const row of rows.slice(1)) {
      expect(row.status).toBe('cancelled');
      expect(row.error_message).toMatch(
        /^skipped scheduled incremental sync \(tick .+\): a sync of \w+ is already running/,
      );
    }
    expect(outcomes.filter((o) => o.kind === 'created')).toHaveLength(1);
  });

  it('stop in the KV halts syncs on every replica, survives a restart, and start resumes them', async () => {
    const [a, b] = await Promise.all([h.replica(), h.replica()]);
    await until('a first sync', async () =>
      (await logsOf('scheduler:incremental')).length > 0 ? true : undefined,
    );

    const state = await openSchedulerState(a.nc, h.tenant);
    await state.setEnabled(false, 'test');
    await until('both replicas see the stop', () =>
      !a.scheduler.isEnabled(h.tenant) && !b.scheduler.isEnabled(h.tenant) ? true : undefined,
    );
    // Wait for in-flight ticks to settle: after two disabled ticks on each, nothing is left to consume.
    const disabledTicks = (r: typeof a) => r.fired.filter((f) => !f.enabled).length;
    await until('two stopped ticks on each replica', () =>
      disabledTicks(a) >= 2 && disabledTicks(b) >= 2 ? true : undefined,
    );
    const before = (await logsOf('scheduler:incremental')).length;
    await until('three more stopped ticks', () => (disabledTicks(a) >= 5 ? true : undefined));
    expect(await logsOf('scheduler:incremental')).toHaveLength(before);

    // Restart both: the stored stop wins over the env's default (enabled).
    await a.stop();
    await b.stop();
    const c = await h.replica({ enabledByDefault: true });
    expect(c.scheduler.isEnabled(h.tenant)).toBe(false);
    await until('two ticks after the restart', () => (c.fired.length >= 2 ? true : undefined));
    expect(c.fired.every((f) => !f.enabled)).toBe(true);
    expect(await logsOf('scheduler:incremental')).toHaveLength(before);

    await (await openSchedulerState(c.nc, h.tenant)).setEnabled(true, 'test');
    await until('syncs resume', async () =>
      (await logsOf('scheduler:incremental')).length > before ? true : undefined,
    );
  });

  it('skips and records a tick while a sync of that kind holds the run lock', async () => {
    const { createSync } = await import('@pricebook/db');
    const running = await createSync(h.orm.em.fork(), {
      tenantId: h.tenant,
      syncType: 'incremental',
      options: { entityTypes: ['materials'] },
      triggeredBy: 'api:test',
      staleAfterMs: 600_000,
    });
    const r = await h.replica();
    await until('a skipped tick', () => r.outcomes.find((o) => o.kind === 'skipped'));
    await r.stop();
    const rows = await logsOf('scheduler:incremental');
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) {
      expect(row.status).toBe('cancelled');
      expect(row.error_message).toContain(
        `a sync of materials is already running (sync ${running.syncLogId})`,
      );
    }
  });

  it('runs an overdue full sync once on start, whichever replica starts first', async () => {
    await h.sql(
      `insert into pricebook_sync_state (tenant_id, entity_type, last_full_sync_at)
       select ?, e, now() - interval '3 days' from unnest(array['categories','materials','services','equipment']) e`,
      [h.tenant],
    );
    const options = { fullCron: '0 2 * * *', incrementalCron: yearly, runOverdueOnStart: true };
    const [a, b] = await Promise.all([h.replica(options), h.replica(options)]);
    await until('the overdue sync', () => [...a.outcomes, ...b.outcomes].find((o) => o.kind === 'created'));
    await a.stop();
    await b.stop();
    const published = [...a.published, ...b.published];
    expect(published).toHaveLength(2);
    expect(published.filter((p) => !p.duplicate)).toHaveLength(1);
    const rows = await logsOf('scheduler:full');
    expect(rows).toHaveLength(1);
    expect(rows[0]?.status).toBe('queued');
  });

  it('does not run a full sync on start when the last one is recent', async () => {
    await h.sql(
      `insert into pricebook_sync_state (tenant_id, entity_type, last_full_sync_at)
       select ?, e, now() from unnest(array['categories','materials','services','equipment']) e`,
      [h.tenant],
    );
    const r = await h.replica({ fullCron: everySecond, incrementalCron: yearly, runOverdueOnStart: true });
    // The first full tick comes from the timer, never from the start-up check.
    await until('a full tick from the timer', () => r.outcomes[0]);
    expect(r.published[0]?.tickAt).toBe(r.fired[0]?.tickAt);
  });
});
