import { randomUUID } from 'node:crypto';
import { createOrm, recordDeadLetter } from '@pricebook/db';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { createSync, type Harness, resetDatabase, startHarness, tenant } from '../../test-support';
import { startWatchdog, type Watchdog } from './watchdog';

let h: Harness;
let clock = 0;
const stallMs = 60_000;
const watchdogs: Watchdog[] = [];

function watchdog(): Watchdog {
  const w = startWatchdog({
    orm: h.orm,
    log: h.log,
    stallMs,
    intervalMs: 3_600_000,
    now: () => clock,
  });
  watchdogs.push(w);
  return w;
}

async function status(id: string) {
  const [row] = await h.sql<{ status: string; error_message: string | null }>(
    'select status, error_message from pricebook_sync_log where id = ?',
    [id],
  );
  return row;
}

async function failedEvents(id: string): Promise<number> {
  const [row] = await h.sql<{ n: string }>(
    `select count(*) as n from pricebook_outbox where correlation_id = ? and event_type = 'sync.failed'`,
    [id],
  );
  return Number(row?.n);
}

async function locks(id: string): Promise<number> {
  const [row] = await h.sql<{ n: string }>(
    'select count(*) as n from pricebook_sync_runs where sync_log_id = ?',
    [id],
  );
  return Number(row?.n);
}

async function deadLetter(type: string, syncLogId: string, reason = 'handler_error: boom') {
  await recordDeadLetter(h.orm.em.fork(), {
    tenantId: tenant,
    stream: 'PRICEBOOK_COMMANDS',
    consumer: 'applier-push',
    subject: `pricebook.cmd.${tenant}.push.v1`,
    streamSeq: Math.floor(Math.random() * 1e9),
    deliveryCount: 5,
    payload: JSON.stringify({
      id: randomUUID(),
      type,
      tenant,
      correlationId: syncLogId,
      data: { syncLogId },
    }),
    reason,
  });
}

beforeAll(async () => {
  h = await startHarness();
});

beforeEach(async () => {
  await Promise.all(watchdogs.splice(0).map((w) => w.stop()));
  await resetDatabase(h);
  clock = 0;
});

afterAll(async () => {
  await Promise.all(watchdogs.splice(0).map((w) => w.stop()));
  await h.close();
});

describe('the sync watchdog', () => {
  it('fails a sync at once when its push command was dead-lettered, with the reason, an event and its locks released', async () => {
    const id = await createSync(h);
    await deadLetter('push.command', id, 'handler_error: ServiceTitan refused the batch');

    expect(await watchdog().check()).toEqual([id]);

    const row = await status(id);
    expect(row?.status).toBe('failed');
    expect(row?.error_message).toContain('dead_lettered');
    expect(row?.error_message).toContain('push.command');
    expect(row?.error_message).toContain('ServiceTitan refused the batch');
    expect(await failedEvents(id)).toBe(1);
    expect(await locks(id)).toBe(0);
  });

  it('leaves a sync alone when only a record of it, or a part of another sync, was dead-lettered', async () => {
    const id = await createSync(h);
    await deadLetter('record.decided', id);
    await deadLetter('sync.fence', randomUUID());

    expect(await watchdog().check()).toEqual([]);
    expect((await status(id))?.status).toBe('queued');
  });

  it('fails a sync whose progress has not moved for the stall time, and not one that keeps moving', async () => {
    const stuck = await createSync(h, { entityTypes: ['materials'] });
    const moving = await createSync(h, { entityTypes: ['services'] });
    const w = watchdog();
    const move = () =>
      h.sql('update pricebook_sync_log set records_fetched = records_fetched + 10 where id = ?', [moving]);
    await w.check();
    clock = stallMs / 2;
    await move();
    expect(await w.check()).toEqual([]);
    clock = stallMs;
    await move();
    expect(await w.check()).toEqual([stuck]);
    const row = await status(stuck);
    expect(row?.status).toBe('failed');
    expect(row?.error_message).toContain('stalled');
    expect((await status(moving))?.status).toBe('queued');
  });

  it('counts a run heartbeat as progress', async () => {
    const id = await createSync(h);
    const w = watchdog();
    await w.check();
    clock = stallMs - 1;
    await h.sql(
      `update pricebook_sync_runs set heartbeat_at = now() + interval '1 second' where sync_log_id = ?`,
      [id],
    );
    await w.check();
    clock = stallMs * 1.5;
    expect(await w.check()).toEqual([]);
    expect((await status(id))?.status).toBe('queued');
  });

  it('fails a stalled sync once, however many replicas look', async () => {
    const id = await createSync(h);
    const replicas = [watchdog(), watchdog(), watchdog()];
    await Promise.all(replicas.map((w) => w.check()));
    clock = stallMs;
    const failed = (await Promise.all(replicas.map((w) => w.check()))).flat();
    expect(failed).toEqual([id]);
    expect(await failedEvents(id)).toBe(1);
  });

  it('starts counting again after the database could not be read, so an outage is not blamed on the sync', async () => {
    const id = await createSync(h);
    const w = watchdog();
    await w.check();
    // The database refuses every connection for a while: an outage, without stopping the server.
    const admin = await createOrm(h.db.url.replace(/\/[^/]+$/, '/postgres'), { poolMax: 2 });
    const sql = (text: string) => admin.em.fork().execute(text);
    try {
      await sql(`alter database "${h.db.name}" with allow_connections false`);
      await sql(`select pg_terminate_backend(pid) from pg_stat_activity where datname = '${h.db.name}'`);
      clock = stallMs / 2;
      expect(await w.check()).toEqual([]);
    } finally {
      await sql(`alter database "${h.db.name}" with allow_connections true`);
      await admin.close();
    }
    await vi.waitFor(() => h.sql('select 1'), { timeout: 10_000 });
    clock = stallMs;
    // The stall time after the first look, but nothing yet since the outage ended.
    expect(await w.check()).toEqual([]);
    expect((await status(id))?.status).toBe('queued');
    clock = stallMs * 2;
    expect(await w.check()).toEqual([id]);
  });
});
