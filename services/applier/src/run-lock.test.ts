import { createSync } from '@pricebook/db';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { handleFence } from './pipeline/fence/handler';
import { singleTenantClients } from './shared/tenant-st';
import { count, fence, resetDatabase, testLogger } from './test-support';
import { runPush } from './write-back/run';
import {
  createPushSync,
  mirror,
  type PushWorld,
  pushCommand,
  pushDeps,
  startPushWorld,
} from './write-back/test-support';

const log = testLogger('push-lock-test');
let w: PushWorld;

beforeAll(async () => {
  w = await startPushWorld(6);
});
afterAll(() => w?.close());
beforeEach(async () => {
  await w.sb.control.clearFaults();
  await resetDatabase(w.h);
  await mirror(w, 'materials');
});

const locks = (syncId: string) =>
  count(w.h, 'select count(*) as n from pricebook_sync_runs where sync_log_id = ?', [syncId]);
const pull = () =>
  createSync(w.h.orm.em.fork(), {
    tenantId: '1001',
    syncType: 'incremental',
    options: { direction: 'from_st', entityTypes: ['materials'] },
    staleAfterMs: 600_000,
  });

async function fetchedBidirectionalSync(): Promise<string> {
  const syncId = await createPushSync(w, { direction: 'bidirectional' });
  await w.h.sql(
    `insert into pricebook_sync_runs (tenant_id, entity_type, sync_log_id) values ('1001', 'materials', ?)`,
    [syncId],
  );
  const options = {
    orm: w.h.orm,
    js: w.h.js,
    st: singleTenantClients('1001', w.st),
    maxDeleteShare: 0.5,
  };
  expect(await handleFence(options, fence(syncId, { published: 0 }), log)).toBe('finished');
  return syncId;
}

describe('the run lock of a sync that pushes', () => {
  it('is held from the end of the fetch until the push completes, so a pull is refused meanwhile', async () => {
    const syncId = await fetchedBidirectionalSync();
    expect(await locks(syncId)).toBe(1);
    await expect(pull()).rejects.toMatchObject({ code: 'conflict', details: { runningSyncLogId: syncId } });

    await w.h.sql(
      `insert into pricebook_materials (tenant_id, code, description, price) values ('1001', 'LOCK-1', 'x', 3)`,
    );
    expect(await runPush(pushDeps(w), pushCommand(syncId), log, 1)).toBe('completed');
    expect(await locks(syncId)).toBe(0);
    expect((await pull()).syncLogId).toBeTruthy();
  });

  it('is released when the push fails for good', async () => {
    const syncId = await fetchedBidirectionalSync();
    await w.h.sql(
      `insert into pricebook_materials (tenant_id, code, description, price) values ('1001', 'LOCK-2', 'x', 3)`,
    );
    await w.sb.control.setFaults({ errorRate: 1, pathPattern: '/materials' });
    expect(await runPush(pushDeps(w), pushCommand(syncId), log, 5)).toBe('failed');
    const [row] = await w.h.sql<{ status: string }>('select status from pricebook_sync_log where id = ?', [
      syncId,
    ]);
    expect(row?.status).toBe('failed');
    expect(await locks(syncId)).toBe(0);
  });

  it('is kept alive by the push, and taken over only once the push stops proving it', async () => {
    const syncId = await fetchedBidirectionalSync();
    await w.h.sql(
      `update pricebook_sync_runs set heartbeat_at = now() - interval '1 hour' where sync_log_id = ?`,
      [syncId],
    );
    await w.h.sql(
      `insert into pricebook_materials (tenant_id, code, description, price) values ('1001', 'LOCK-3', 'x', 3)`,
    );
    await w.sb.control.setFaults({ errorRate: 1, pathPattern: '/materials' });
    // A retryable failure: the command comes back later, the sync stays running with its lock.
    await expect(runPush(pushDeps(w), pushCommand(syncId), log, 1)).rejects.toBeDefined();
    const [lock] = await w.h.sql<{ fresh: boolean }>(
      `select heartbeat_at > now() - interval '1 minute' as fresh from pricebook_sync_runs where sync_log_id = ?`,
      [syncId],
    );
    expect(lock?.fresh).toBe(true);
    await expect(pull()).rejects.toMatchObject({ code: 'conflict' });
    // A push that died stops proving it: after the stale limit the next sync takes the lock over.
    await w.h.sql(
      `update pricebook_sync_runs set heartbeat_at = now() - interval '1 hour' where sync_log_id = ?`,
      [syncId],
    );
    expect((await pull()).syncLogId).toBeTruthy();
  });
});
