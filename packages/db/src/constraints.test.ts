import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { recordDeadLetter } from './dead-letters';
import { acquireSyncRun, heartbeatSyncRun, releaseSyncRun } from './sync-runs';
import { databaseForFile } from './test-support';

const t = databaseForFile();

describe('conflicts', () => {
  const insertConflict = (recordId: string, status = 'unresolved') =>
    t.sql(
      `insert into pricebook_sync_conflicts (tenant_id, entity_type, record_id, st_id, conflict_type, status)
       values (1, 'materials', ?, 5, 'both_modified', ?)`,
      [recordId, status],
    );

  it('admit at most one unresolved conflict per record', async () => {
    const recordId = randomUUID();
    await insertConflict(recordId);
    await expect(insertConflict(recordId)).rejects.toThrow(/pricebook_sync_conflicts_one_unresolved/);
    // Settled ones are history and may pile up.
    await insertConflict(recordId, 'resolved');
    await insertConflict(recordId, 'superseded');
    await t.sql(
      `update pricebook_sync_conflicts set status = 'superseded' where record_id = ? and status = 'unresolved'`,
      [recordId],
    );
    await insertConflict(recordId);
    const rows = await t.sql('select id from pricebook_sync_conflicts where record_id = ?', [recordId]);
    expect(rows).toHaveLength(4);
  });

  it('refuse unknown conflict types and statuses', async () => {
    await expect(insertConflict(randomUUID(), 'ignored')).rejects.toThrow(/check/);
  });
});

describe('one running sync per tenant and entity', () => {
  const em = () => t.orm.em.fork();
  const key = (syncLogId: string) => ({ tenantId: '1', entityType: 'materials' as const, syncLogId });

  it('lets one sync in and keeps a second out until the first releases', async () => {
    const a = randomUUID();
    const b = randomUUID();
    const results = await Promise.all([
      acquireSyncRun(em(), key(a), 60_000),
      acquireSyncRun(em(), key(b), 60_000),
    ]);
    expect(results.filter(Boolean)).toHaveLength(1);
    const [winner, loser] = results[0] ? [a, b] : [b, a];

    expect(await acquireSyncRun(em(), key(loser), 60_000)).toBe(false);
    expect(await acquireSyncRun(em(), key(winner), 60_000)).toBe(true); // a redelivered command
    expect(await heartbeatSyncRun(em(), key(winner))).toBe(true);
    expect(await releaseSyncRun(em(), key(loser))).toBe(false);
    expect(await releaseSyncRun(em(), key(winner))).toBe(true);
    expect(await acquireSyncRun(em(), key(loser), 60_000)).toBe(true);
    await releaseSyncRun(em(), key(loser));
  });

  it('does not block another entity or tenant', async () => {
    const a = randomUUID();
    expect(await acquireSyncRun(em(), key(a), 60_000)).toBe(true);
    expect(await acquireSyncRun(em(), { ...key(randomUUID()), entityType: 'services' }, 60_000)).toBe(true);
    expect(await acquireSyncRun(em(), { ...key(randomUUID()), tenantId: '2' }, 60_000)).toBe(true);
    await releaseSyncRun(em(), key(a));
  });

  it('hands the lock over when the holder stopped beating', async () => {
    const dead = randomUUID();
    const next = randomUUID();
    expect(await acquireSyncRun(em(), key(dead), 60_000)).toBe(true);
    await t.sql(
      `update pricebook_sync_runs set heartbeat_at = now() - interval '10 minutes' where sync_log_id = ?`,
      [dead],
    );
    expect(await acquireSyncRun(em(), key(next), 60_000)).toBe(true);
    expect(await heartbeatSyncRun(em(), key(dead))).toBe(false);
    await releaseSyncRun(em(), key(next));
  });
});

describe('dead letters', () => {
  it('are recorded once per delivery', async () => {
    const input = {
      stream: 'PRICEBOOK_INBOUND',
      consumer: 'applier-inbound',
      subject: 'pricebook.inbound.1.materials.upsert.v1',
      streamSeq: 17,
      deliveryCount: 1,
      payload: '{not json',
      reason: 'bad_message: invalid JSON',
    };
    expect(await recordDeadLetter(t.orm.em.fork(), input)).toBe(true);
    expect(await recordDeadLetter(t.orm.em.fork(), { ...input, deliveryCount: 2 })).toBe(false);
    expect(await t.sql('select id from pricebook_dead_letters')).toHaveLength(1);
  });
});
