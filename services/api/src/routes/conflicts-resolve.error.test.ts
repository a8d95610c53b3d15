import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedConflict } from '../conflicts/test-fixtures';
import { call, type Harness, keys, startHarness } from '../test-support';

let h: Harness;
let tenant: string;

beforeAll(async () => {
  h = await startHarness();
  tenant = h.tenant();
});
afterAll(() => h.close());

type Problem = { code: string; detail: string; errors?: Array<{ path: string; message: string }> };

const resolve = (id: string, body: unknown, key: string | null = keys.operator) =>
  call<Problem>(
    h.app({ tenantId: tenant }),
    'POST',
    `/api/sync/pricebook/resolve-conflict/${id}?wait=false`,
    {
      key: key ?? undefined,
      body,
    },
  );
const outboxCount = async () =>
  Number(
    (
      await h.sql<{ n: string }>(
        `select count(*) as n from pricebook_outbox where event_type = 'resolve.command'`,
      )
    )[0]?.n,
  );

describe('POST /api/sync/pricebook/resolve-conflict/{id}: refusals', () => {
  it('refuses a merge that misses a disputed field, naming it, and queues nothing', async () => {
    const c = await seedConflict(h, tenant, 1);
    const res = await resolve(c.conflictId, {
      strategy: 'merge',
      resolvedBy: 'ana',
      fields: { code: 'local' },
    });
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([expect.objectContaining({ path: 'fields.price', in: 'body' })]);
    expect(await outboxCount()).toBe(0);
  });

  it('refuses unknown fields, a merge body with another strategy, and a missing resolvedBy', async () => {
    const c = await seedConflict(h, tenant, 2);
    const unknown = await resolve(c.conflictId, {
      strategy: 'merge',
      resolvedBy: 'ana',
      fields: { price: 'st', colour: 'local' },
    });
    expect(unknown.body.errors?.map((e) => e.path)).toEqual(['fields.colour']);
    const misplaced = await resolve(c.conflictId, {
      strategy: 'keep_st',
      resolvedBy: 'ana',
      fields: { price: 'st' },
    });
    expect(misplaced.body.errors?.map((e) => e.path)).toEqual(['fields']);
    const missing = await resolve(c.conflictId, { strategy: 'keep_both', extra: 1 });
    expect(missing.status).toBe(400);
    expect(missing.body.errors?.map((e) => e.path).sort()).toEqual(['extra', 'resolvedBy', 'strategy']);
  });

  it('answers 409 for a conflict already resolved', async () => {
    const c = await seedConflict(h, tenant, 3, { status: 'resolved' });
    const res = await resolve(c.conflictId, { strategy: 'keep_st', resolvedBy: 'ana' });
    expect(res.status).toBe(409);
    expect(res.body.detail).toContain('already resolved');
  });

  it('answers 404 for an unknown or another tenant’s conflict', async () => {
    const other = await seedConflict(h, h.tenant(), 4);
    expect((await resolve(other.conflictId, { strategy: 'keep_st', resolvedBy: 'a' })).status).toBe(404);
  });

  it('needs an operator key: 401 without, 403 for a viewer', async () => {
    const c = await seedConflict(h, tenant, 5);
    expect((await resolve(c.conflictId, { strategy: 'keep_st', resolvedBy: 'a' }, null)).status).toBe(401);
    expect((await resolve(c.conflictId, { strategy: 'keep_st', resolvedBy: 'a' }, keys.viewer)).status).toBe(
      403,
    );
  });

  it('queues the command in the outbox and answers 202 when not waiting', async () => {
    const c = await seedConflict(h, tenant, 6);
    const res = await resolve(c.conflictId, { strategy: 'keep_local', resolvedBy: 'ana' });
    expect(res.status).toBe(202);
    expect(res.headers.get('location')).toBe(`/api/sync/pricebook/conflicts/${c.conflictId}`);
    const [row] = await h.sql<{ payload: Record<string, unknown>; published_at: unknown }>(
      `select payload, published_at from pricebook_outbox
        where event_type = 'resolve.command' and payload ->> 'conflictId' = ?`,
      [c.conflictId],
    );
    expect(row?.payload).toMatchObject({
      conflictId: c.conflictId,
      strategy: 'keep_local',
      resolvedBy: 'ana',
    });
    expect(row?.published_at).not.toBeNull();
  });
});
