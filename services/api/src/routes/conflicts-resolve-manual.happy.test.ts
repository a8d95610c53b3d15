import { forFile } from '@pricebook/testing/vitest';
import { beforeAll, describe, expect, it } from 'vitest';
import { call, keys, startHarness } from '../test-support';
import { seedConflict } from '../test-support/conflicts';

// `manual` never reaches the applier: no NATS, no applier process, and nothing may be published.
const h = forFile(() => startHarness());
let tenant: string;

beforeAll(async () => {
  tenant = h.tenant();
});

interface Conflict {
  status: string;
  resolution: string | null;
  resolvedBy: string | null;
  reviewedBy: string | null;
  reviewedAt: string | null;
  reviewNote: string | null;
}
type Result = { success: boolean; status: string; conflict: Conflict; supersededBy: string | null };

const app = () => h.app({ tenantId: tenant });
const resolve = (id: string, body: unknown) =>
  call<Result>(app(), 'POST', `/api/sync/pricebook/resolve-conflict/${id}`, { key: keys.operator, body });
const pricebookRow = async (id: string) =>
  (
    await h.sql('select data, sync_status, has_conflict, version from pricebook_materials where id = ?', [id])
  )[0];
const count = async (table: string) =>
  Number((await h.sql<{ n: string }>(`select count(*) as n from ${table}`))[0]?.n);

describe('POST /api/sync/pricebook/resolve-conflict/{id} with strategy manual', () => {
  it('leaves the conflict open, records who looked at it and when, and publishes nothing', async () => {
    const c = await seedConflict(h, tenant, 1);
    // Seeding writes the row as a local edit would; only what the resolution does counts.
    await h.sql('delete from pricebook_changes');
    await h.sql('delete from pricebook_outbox');
    const rowBefore = await pricebookRow(c.recordId);
    const before = Date.now();
    const res = await resolve(c.conflictId, {
      strategy: 'manual',
      resolvedBy: 'ana@example.com',
      note: 'asking the vendor for the new list price',
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      success: true,
      status: 'unresolved',
      supersededBy: null,
      conflict: {
        status: 'unresolved',
        resolution: null,
        resolvedBy: null,
        reviewedBy: 'ana@example.com',
        reviewNote: 'asking the vendor for the new list price',
      },
    });
    expect(Date.parse(res.body.conflict.reviewedAt ?? '')).toBeGreaterThanOrEqual(before - 1_000);

    const shown = await call<{ conflict: Conflict }>(
      app(),
      'GET',
      `/api/sync/pricebook/conflicts/${c.conflictId}`,
      {
        key: keys.viewer,
      },
    );
    expect(shown.body.conflict).toEqual(res.body.conflict);
    // A note on a conflict is not a pricebook edit: no command, no event, no audit row, row untouched.
    expect(await count('pricebook_outbox')).toBe(0);
    expect(await count('pricebook_changes')).toBe(0);
    expect(await pricebookRow(c.recordId)).toEqual(rowBefore);
  });

  it('a later look replaces the reviewer and clears a note not given again; the conflict can then be resolved', async () => {
    const c = await seedConflict(h, tenant, 2);
    await resolve(c.conflictId, { strategy: 'manual', resolvedBy: 'ana', note: 'first look' });
    const second = await resolve(c.conflictId, { strategy: 'manual', resolvedBy: 'bo' });
    expect(second.status).toBe(200);
    expect(second.body.conflict).toMatchObject({ reviewedBy: 'bo', reviewNote: null, status: 'unresolved' });
    const listed = await call<{ conflicts: Array<Conflict & { id: string }> }>(
      app(),
      'GET',
      '/api/sync/pricebook/conflicts?status=unresolved',
      { key: keys.viewer },
    );
    expect(listed.body.conflicts.find((x) => x.id === c.conflictId)).toMatchObject({ reviewedBy: 'bo' });
    const settled = await call(
      app(),
      'POST',
      `/api/sync/pricebook/resolve-conflict/${c.conflictId}?wait=false`,
      {
        key: keys.operator,
        body: { strategy: 'keep_st', resolvedBy: 'bo' },
      },
    );
    expect(settled.status).toBe(202);
  });
});
