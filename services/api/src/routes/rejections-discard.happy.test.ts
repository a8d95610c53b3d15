import { DiscardResult, RejectionsResponse } from '@pricebook/contracts';
import { forFile } from '@pricebook/testing/vitest';
import { describe, expect, it } from 'vitest';
import { call, keys, startHarness } from '../test-support';
import { discardOf, seedDeadLetter } from '../test-support/dead-letters';

const h = forFile(() => startHarness());

interface ListBody {
  rejections: Array<{ id: string; status: string; discardedBy: string | null; discardReason: string | null }>;
}

const listIds = async (tenant: string, query: string) => {
  const res = await call<ListBody>(
    h.app({ tenantId: tenant }),
    'GET',
    `/api/sync/pricebook/rejections${query}`,
    {
      key: keys.viewer,
    },
  );
  expect(res.status).toBe(200);
  expect(RejectionsResponse.safeParse(res.body).error).toBeUndefined();
  return res.body.rejections.map((r) => r.id).sort();
};

describe('POST /api/sync/pricebook/rejections/{id}/discard', () => {
  it('marks the dead letter discarded by the caller with the reason, and keeps the row', async () => {
    const tenant = h.tenant();
    const id = await seedDeadLetter(h, tenant);
    const res = await call<DiscardResult>(
      h.app({ tenantId: tenant }),
      'POST',
      `/api/sync/pricebook/rejections/${id}/discard`,
      { key: keys.operator, body: { reason: '  test message sent by hand  ' } },
    );
    expect(res.status).toBe(200);
    expect(DiscardResult.safeParse(res.body).error).toBeUndefined();
    expect(res.body.rejection).toMatchObject({
      id,
      status: 'discarded',
      discardedBy: expect.stringMatching(/^operator:[0-9a-f]{12}$/),
      discardReason: 'test message sent by hand',
    });
    const stored = await discardOf(h, id);
    expect(stored.discarded_by).toBe(res.body.rejection.discardedBy);
    expect(stored.discard_reason).toBe('test message sent by hand');
    expect(new Date(stored.discarded_at ?? 0).toISOString()).toBe(res.body.rejection.discardedAt);
    expect(h.lines).toContainEqual(
      expect.objectContaining({
        msg: 'dead letter discarded',
        deadLetterId: id,
        discardReason: 'test message sent by hand',
      }),
    );
  });

  it('leaves the default list; status=discarded and status=all show it', async () => {
    const tenant = h.tenant();
    const open = await seedDeadLetter(h, tenant);
    const dropped = await seedDeadLetter(h, tenant);
    const res = await call(
      h.app({ tenantId: tenant }),
      'POST',
      `/api/sync/pricebook/rejections/${dropped}/discard`,
      {
        key: keys.operator,
        body: { reason: 'a message of a removed integration' },
      },
    );
    expect(res.status).toBe(200);
    expect(await listIds(tenant, '')).toEqual([open]);
    expect(await listIds(tenant, '?status=open')).toEqual([open]);
    expect(await listIds(tenant, '?status=discarded')).toEqual([dropped]);
    expect(await listIds(tenant, '?status=all')).toEqual([open, dropped].sort());
  });
});
