import type { EntityManager } from '@mikro-orm/postgresql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SyncLogStatus, syncLogStatuses } from '../entities/sync';
import { acquireSyncRun } from '../sync-runs';
import { type MigratedDatabase, migratedDatabase } from '../test-support';
import { queueSync, recordSkippedSync } from './create';
import { cancelSync, completeSync, failSync } from './end';
import type { SyncTransition } from './outcome';
import { finishEntity, recordProgress, startSync } from './progress';
import { handOffToPush, startPush } from './push-part';
import { canTransition, type SyncTransitionName, syncTransitions } from './transitions';

let t: MigratedDatabase;
beforeAll(async () => {
  t = await migratedDatabase();
});
afterAll(() => t.close());

let nextTenant = 8000;
const tenant = () => String(nextTenant++);

/** A bidirectional full sync of materials, put straight into `status` (as if it had got there). */
async function syncIn(status: SyncLogStatus, tenantId = tenant()): Promise<string> {
  const { id } = await t.tx((em) =>
    queueSync(em, {
      tenantId,
      syncType: 'full',
      direction: 'bidirectional',
      options: { entityTypes: ['materials'] },
      dryRun: false,
      triggeredBy: 'test',
    }),
  );
  if (status !== 'queued') await t.sql('update pricebook_sync_log set status = ? where id = ?', [status, id]);
  return id;
}

const transitions: Record<SyncTransitionName, (em: EntityManager, id: string) => Promise<SyncTransition>> = {
  start: (em, id) => startSync(em, id),
  startPush: (em, id) => startPush(em, id),
  finishEntity: (em, id) => finishEntity(em, id, 'materials'),
  handOffToPush: (em, id) => handOffToPush(em, id),
  complete: (em, id) => completeSync(em, id),
  fail: (em, id) => failSync(em, id, { code: 'stalled', message: 'no progress' }),
  cancel: (em, id) => cancelSync(em, id, 'cancelled by an operator'),
};

/** What each transition writes to the outbox when it happens. */
const written: Record<SyncTransitionName, string[]> = {
  start: ['sync.started'],
  startPush: ['sync.started'],
  finishEntity: [],
  handOffToPush: ['push.command'],
  complete: ['sync.completed'],
  fail: ['sync.failed'],
  cancel: [],
};

async function outboxOf(id: string): Promise<string[]> {
  const rows = await t.sql<{ event_type: string }>(
    'select event_type from pricebook_outbox where correlation_id = ? order by seq',
    [id],
  );
  return rows.map((r) => r.event_type);
}

async function statusOf(id: string) {
  const [row] = await t.sql<{ status: SyncLogStatus; error_message: string | null; completed_at: unknown }>(
    'select status, error_message, completed_at from pricebook_sync_log where id = ?',
    [id],
  );
  return row;
}

describe('the sync transition table', () => {
  for (const status of syncLogStatuses) {
    for (const name of Object.keys(syncTransitions) as SyncTransitionName[]) {
      const allowed = canTransition(status, name);
      it(`${name} from ${status} ${allowed ? 'happens' : 'is refused and changes nothing'}`, async () => {
        const id = await syncIn(status);
        const before = await statusOf(id);
        const outcome = await t.tx((em) => transitions[name](em, id));
        const after = await statusOf(id);
        if (allowed) {
          expect(outcome).toMatchObject({
            changed: true,
            from: status,
            row: { id, status: syncTransitions[name].to },
          });
          expect(after?.status).toBe(syncTransitions[name].to);
          expect(await outboxOf(id)).toEqual(written[name]);
        } else {
          expect(outcome).toEqual({ changed: false, from: status, reason: 'not_allowed' });
          expect(after).toEqual(before);
          expect(await outboxOf(id)).toEqual([]);
        }
      });
    }
  }

  it('ends nothing twice: a late complete after the watchdog failed the sync is a no-op that says so', async () => {
    const id = await syncIn('running');
    await t.tx((em) => failSync(em, id, { code: 'stalled', message: 'no progress for 1800 s' }));
    const late = await t.tx((em) => completeSync(em, id));
    expect(late).toEqual({ changed: false, from: 'failed', reason: 'not_allowed' });
    expect(await statusOf(id)).toMatchObject({
      status: 'failed',
      error_message: 'stalled: no progress for 1800 s',
    });
    expect(await outboxOf(id)).toEqual(['sync.failed']);
  });

  it('says when the sync does not exist', async () => {
    const missing = '00000000-0000-4000-8000-000000000000';
    for (const run of Object.values(transitions)) {
      expect(await t.tx((em) => run(em, missing))).toEqual({
        changed: false,
        from: undefined,
        reason: 'not_found',
      });
    }
  });

  it('releases every run lock the sync holds when it ends', async () => {
    const tenantId = tenant();
    const id = await syncIn('running', tenantId);
    await t.tx((em) => acquireSyncRun(em, { tenantId, entityType: 'materials', syncLogId: id }, 600_000));
    await t.tx((em) => completeSync(em, id));
    expect(await t.sql('select 1 from pricebook_sync_runs where sync_log_id = ?', [id])).toHaveLength(0);
  });
});

describe('recordProgress', () => {
  it('counts, starts a queued sync once, and reports progress only when asked', async () => {
    const id = await syncIn('queued');
    const first = await t.tx((em) => recordProgress(em, id, { materials: { created: 2, skipped: 3 } }));
    expect(first).toMatchObject({
      started: true,
      row: { status: 'running', records_created: 2, records_skipped: 3 },
    });
    const second = await t.tx((em) => recordProgress(em, id, { materials: { created: 1 } }));
    expect(second).toMatchObject({ started: false, row: { records_created: 3 } });
    await t.tx((em) => recordProgress(em, id, { materials: { updated: 1 } }, { progressEvent: true }));
    expect(await outboxOf(id)).toEqual(['sync.started', 'sync.progress']);
    const [row] = await t.sql<{ entity_stats: unknown }>(
      'select entity_stats from pricebook_sync_log where id = ?',
      [id],
    );
    expect(row?.entity_stats).toEqual({ materials: { created: 3, skipped: 3, updated: 1 } });
  });

  it('still counts for an ended sync, without moving its status or writing an event', async () => {
    const id = await syncIn('failed');
    const moved = await t.tx((em) =>
      recordProgress(em, id, { materials: { errors: 1 } }, { progressEvent: true }),
    );
    expect(moved).toMatchObject({ started: false, row: { status: 'failed', errors: 1 } });
    expect(await outboxOf(id)).toEqual([]);
  });
});

describe('recordSkippedSync', () => {
  it('writes a sync born cancelled, once per dedupe key', async () => {
    const tenantId = tenant();
    const skip = {
      tenantId,
      syncType: 'full' as const,
      reason: 'skipped scheduled full sync (tick 2026-12-06T02:00:00.000Z): busy',
      triggeredBy: 'scheduler:full',
      dedupeKey: '(tick 2026-12-06T02:00:00.000Z)',
    };
    expect(await t.tx((em) => recordSkippedSync(em, skip))).toBe(true);
    expect(await t.tx((em) => recordSkippedSync(em, skip))).toBe(false);
    const rows = await t.sql<{ status: string }>(
      'select status from pricebook_sync_log where tenant_id = ?',
      [tenantId],
    );
    expect(rows).toEqual([{ status: 'cancelled' }]);
  });
});
