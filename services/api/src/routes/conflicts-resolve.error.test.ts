import { forFile } from '@pricebook/testing/vitest';
import { beforeAll, describe, expect, it } from 'vitest';
import { call, keys, startHarness } from '../test-support';
import { seedConflict } from '../test-support/conflicts';

const h = forFile(() => startHarness());
let tenant: string;

beforeAll(async () => {
  tenant = h.tenant();
});

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

/** Resolve commands queued for one conflict (the outbox is shared by the file's tests). */
const queued = async (conflictId: string) =>
  Number(
    (
      await h.sql<{ n: string }>(
        `select count(*) as n from pricebook_outbox
          where event_type = 'resolve.command' and payload ->> 'conflictId' = ?`,
        [conflictId],
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

  it('refuses merge values the entity would refuse (type, range, NUL), naming each, and queues nothing', async () => {
    const c = await seedConflict(h, tenant, 7);
    const res = await resolve(c.conflictId, {
      strategy: 'merge',
      resolvedBy: 'ana',
      values: { price: 'cheap', cost: 1e11, description: 'a\u0000b' },
    });
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    expect(res.body.code).toBe('validation_failed');
    expect(res.body.errors).toEqual(
      expect.arrayContaining([
        { path: 'values.price', in: 'body', message: 'must be a decimal number such as 12.50' },
        {
          path: 'values.cost',
          in: 'body',
          message: 'must be greater than -10000000000 and less than 10000000000',
        },
        { path: 'values.description', in: 'body', message: 'must not contain the NUL character (\\u0000)' },
      ]),
    );
    expect(res.body.errors).toHaveLength(3);
    expect(await queued(c.conflictId)).toBe(0);
  });

  it('refuses merge values for read-only and volatile fields, and unknown ones, each once', async () => {
    const c = await seedConflict(h, tenant, 8);
    const res = await resolve(c.conflictId, {
      strategy: 'merge',
      resolvedBy: 'ana',
      fields: { price: 'st' },
      values: { modifiedOn: '2026-01-01T00:00:00Z', id: 9, colour: 'red' },
    });
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual(
      expect.arrayContaining([
        { path: 'values.modifiedOn', in: 'body', message: 'read-only field' },
        { path: 'values.id', in: 'body', message: 'read-only field' },
        { path: 'values.colour', in: 'body', message: 'unknown field' },
      ]),
    );
    expect(res.body.errors).toHaveLength(3);
    expect(await queued(c.conflictId)).toBe(0);
  });

  it('refuses a NUL in resolvedBy and a note with a strategy other than manual', async () => {
    const c = await seedConflict(h, tenant, 9);
    const nul = await resolve(c.conflictId, { strategy: 'keep_st', resolvedBy: 'a\u0000na' });
    expect(nul.status).toBe(400);
    expect(nul.body.errors).toEqual([
      { path: 'resolvedBy', in: 'body', message: 'must not contain the NUL character (\\u0000)' },
    ]);
    const note = await resolve(c.conflictId, { strategy: 'keep_st', resolvedBy: 'ana', note: 'later' });
    expect(note.status).toBe(400);
    expect(note.body.errors).toEqual([{ path: 'note', in: 'body', message: 'only with strategy manual' }]);
    expect(await queued(c.conflictId)).toBe(0);
  });

  it('refuses manual with merge fields or values, and on a conflict already settled', async () => {
    const c = await seedConflict(h, tenant, 10);
    const withValues = await resolve(c.conflictId, {
      strategy: 'manual',
      resolvedBy: 'ana',
      values: { price: 1 },
    });
    expect(withValues.body.errors?.map((e) => e.path)).toEqual(['values']);
    const settled = await seedConflict(h, tenant, 11, { status: 'superseded' });
    const late = await resolve(settled.conflictId, { strategy: 'manual', resolvedBy: 'ana' });
    expect(late.status).toBe(409);
    const [row] = await h.sql<{ reviewed_by: string | null }>(
      'select reviewed_by from pricebook_sync_conflicts where id = ?',
      [settled.conflictId],
    );
    expect(row?.reviewed_by).toBeNull();
  });

  it('queues merge values as the entity schema parses them', async () => {
    const c = await seedConflict(h, tenant, 12);
    const res = await resolve(c.conflictId, {
      strategy: 'merge',
      resolvedBy: 'ana',
      values: { price: '44.10' },
    });
    expect(res.status).toBe(202);
    const [row] = await h.sql<{ payload: Record<string, unknown> }>(
      `select payload from pricebook_outbox where event_type = 'resolve.command' and payload ->> 'conflictId' = ?`,
      [c.conflictId],
    );
    expect(row?.payload).toMatchObject({ strategy: 'merge', values: { price: 44.1 } });
  });
});
