import { setTimeout as sleep } from 'node:timers/promises';
import type { PipelineService, Stack } from '@pricebook/testing';
import type pg from 'pg';
import { describe, expect } from 'vitest';
import { api, localRows, rows, startFromFullSync, sync, test } from '../test-support';
import { expectConverged, seeded, settled } from '../test-support/checker';

// Invariant 4: killing any process with -9 at any moment of a sync and starting it again, as a
// supervisor would, converges with no manual step: nothing lost, no duplicate row, no item
// created twice in ServiceTitan, exactly one audit row and one event per change.
const seed = Number(process.env.FAULT_SEED ?? 20261206);
const victims: readonly PipelineService[] = ['fetcher', 'comparator', 'applier', 'api'];
const syncs = [
  { kind: 'full', direction: 'from_st' },
  { kind: 'incremental', direction: 'from_st' },
  { kind: 'incremental', direction: 'bidirectional' },
] as const;

test.scoped({ stackOptions: { sandbox: { items: 1000, seed: 7 } } });

describe(`every service killed with -9 mid-sync converges (seed ${seed})`, () => {
  const random = seeded(seed);

  startFromFullSync();

  /** ServiceTitan edits a few dozen items, so an incremental sync has work to do. */
  async function editInSt(stack: Stack, round: number) {
    const items = await stack.sandbox.control.items('materials');
    const chosen = items.filter(() => random() < 0.03).map((i) => i.id);
    if (chosen.length > 0)
      await stack.sandbox.control.editItems('materials', chosen, { memberPrice: 100 + round });
    return new Set(chosen);
  }

  /** The local side edits other items (plain SQL, as any tool would), for the push to send. */
  async function editLocally(db: pg.Client, round: number, skip: ReadonlySet<number>) {
    const ids = [...(await localRows(db, 'services')).keys()].filter(
      (id) => !skip.has(id) && random() < 0.02,
    );
    await db.query('update pricebook_services set description = $1 where st_id = any($2::bigint[])', [
      `edited locally in round ${round}`,
      ids,
    ]);
    return ids;
  }

  for (const [round, victim] of victims.flatMap((v) => syncs.map(() => v)).entries()) {
    const run = syncs[round % syncs.length] ?? syncs[0];
    test(`round ${round}: the ${victim} killed during a ${run.direction} ${run.kind} sync`, async ({
      stack,
      sql: db,
    }) => {
      const stEdited = await editInSt(stack, round);
      const localEdits = run.direction === 'bidirectional' ? await editLocally(db, round, stEdited) : [];

      const started = await api<{ syncLogId: string }>(stack, 'POST', `/api/sync/pricebook/${run.kind}`, {
        direction: run.direction,
      });
      expect(started.status).toBe(202);
      await sleep(Math.floor(random() * 3000));
      await stack.services[victim].kill();
      await sleep(Math.floor(random() * 1000));
      await stack.services[victim].restart();

      await settled(db, 300_000);
      const [log] = await rows<{ status: string }>(
        db,
        'select status from pricebook_sync_log where id = $1',
        [started.body.syncLogId],
      );
      expect(log?.status).toBe('completed');
      // A local edit the sync could not see yet goes with the next one; after that nothing is pending.
      const pending = await rows<{ n: string }>(
        db,
        `select count(*) as n from pricebook_services where sync_status <> 'synced'`,
      );
      if (Number(pending[0]?.n) > 0) await sync(stack, 'incremental', { direction: 'bidirectional' });
      await expectConverged(stack, db);
      for (const stId of localEdits) {
        const item = await stack.sandbox.control.item('services', stId);
        expect(item.description, `service ${stId} in ServiceTitan`).toBe(`edited locally in round ${round}`);
      }
    }, 420_000);
  }
});
