import { describe, expect } from 'vitest';
import {
  api,
  localRows,
  outboxDrained,
  rows,
  startFromFullSync,
  stRecords,
  sync,
  test,
} from './test-support';

test.scoped({ stackOptions: { sandbox: { items: 60, seed: 47 } } });

interface Revert {
  dryRun: boolean;
  changeSetId: string | null;
  reverted: Array<{ stId: number; action: string; fields: string[] }>;
  skipped: Array<{ stId: number; fields: string[]; reason: string }>;
}
interface ChangeSets {
  changeSets: Array<{
    id: string;
    kind: string;
    revertsChangeSetId: string | null;
    revertedByChangeSetId: string | null;
  }>;
}

// Issue 12's undo: a bulk price edit goes to ServiceTitan, is reverted, and the revert goes to
// ServiceTitan too, through the ordinary push and its brake; a row someone edited after the bulk
// edit keeps that later value.
describe('reverting a change-set', () => {
  startFromFullSync();

  test('a pushed bulk price edit, reverted and pushed again, leaves ServiceTitan with the original prices', async ({
    stack,
    sql: db,
  }) => {
    const local = await localRows(db, 'materials');
    const stIds = [...local.keys()].sort((a, b) => a - b).slice(0, 5);
    const original = new Map(stIds.map((id) => [id, Number(local.get(id)?.data.price)]));
    // A tenth up: an ordinary edit, well inside the push brake.
    const raised = (id: number) => Math.round((original.get(id) ?? 0) * 110) / 100;

    const bulk = await api<{ changeSetId: string }>(stack, 'POST', '/api/pricebook/materials/bulk', {
      items: stIds.map((id) => ({ id: `st:${id}`, fields: { price: raised(id) } })),
    });
    expect(bulk.status).toBe(200);
    const pushed = await sync(stack, 'incremental', { direction: 'to_st', entityTypes: ['materials'] });
    expect(pushed).toMatchObject({ status: 'completed' });
    const afterBulk = (await stRecords(stack)).materials;
    for (const id of stIds) expect(afterBulk.get(id)?.price, `material ${id}`).toBe(raised(id));

    // Someone sets one of the prices again after the bulk edit.
    const [later = 0] = stIds;
    const laterPrice = Math.round((original.get(later) ?? 0) * 105) / 100;
    const patched = await api(stack, 'PATCH', `/api/pricebook/materials/st:${later}`, { price: laterPrice });
    expect(patched.status).toBe(200);

    const dry = await api<Revert>(stack, 'POST', `/api/changesets/${bulk.body.changeSetId}/revert`, {});
    expect(dry.status).toBe(200);
    expect(dry.body.dryRun).toBe(true);
    const done = await api<Revert>(stack, 'POST', `/api/changesets/${bulk.body.changeSetId}/revert`, {
      dryRun: false,
    });
    expect(done.status).toBe(200);
    expect({ ...done.body, dryRun: true, changeSetId: null }).toEqual(dry.body);
    expect(done.body.reverted.map((r) => r.stId).sort((a, b) => a - b)).toEqual(stIds.slice(1));
    expect(done.body.skipped).toMatchObject([{ stId: later, fields: ['price'], reason: 'changed_since' }]);

    const again = await sync(stack, 'incremental', { direction: 'to_st', entityTypes: ['materials'] });
    expect(again).toMatchObject({ status: 'completed' });
    await outboxDrained(db);

    const st = (await stRecords(stack)).materials;
    for (const id of stIds.slice(1)) expect(st.get(id)?.price, `material ${id}`).toBe(original.get(id));
    expect(st.get(later)?.price).toBe(laterPrice);

    const sets = await api<ChangeSets>(stack, 'GET', '/api/changesets?entity=materials');
    const bulkSet = sets.body.changeSets.find((s) => s.id === bulk.body.changeSetId);
    const revertSet = sets.body.changeSets.find((s) => s.id === done.body.changeSetId);
    expect(bulkSet).toMatchObject({ kind: 'bulk_edit', revertedByChangeSetId: done.body.changeSetId });
    expect(revertSet).toMatchObject({ kind: 'revert', revertsChangeSetId: bulk.body.changeSetId });

    // The audit trail keeps both: the bulk edit's rows and the revert's, each row once per change.
    const audit = await rows<{ kind: string; origin: string; n: string }>(
      db,
      `select s.kind, c.origin, count(*)::text as n from pricebook_changes c
         join pricebook_changesets s on s.id = c.changeset_id
        where s.id = any($1::uuid[]) group by s.kind, c.origin order by s.kind`,
      [[bulk.body.changeSetId, done.body.changeSetId]],
    );
    expect(audit).toEqual([
      { kind: 'bulk_edit', origin: 'local', n: String(stIds.length) },
      { kind: 'revert', origin: 'revert', n: String(stIds.length - 1) },
    ]);
    const events = await rows<{ n: string }>(
      db,
      `select count(*)::text as n from pricebook_outbox where event_type = 'changeset.reverted' and published_at is not null`,
    );
    expect(events[0]?.n).toBe('1');
  });
});
