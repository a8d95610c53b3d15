import { forFile } from '@pricebook/testing/vitest';
import { describe, expect, it } from 'vitest';
import { call, keys, startHarness } from '../test-support';
import { discardOf, seedDeadLetter } from '../test-support/dead-letters';

const h = forFile(() => startHarness());

describe('POST /api/sync/pricebook/rejections/{id}/discard', () => {
  it('needs the operator role', async () => {
    const tenant = h.tenant();
    const id = await seedDeadLetter(h, tenant);
    const path = `/api/sync/pricebook/rejections/${id}/discard`;
    const body = { reason: 'test message' };
    const app = h.app({ tenantId: tenant });
    expect((await call(app, 'POST', path, { body })).status).toBe(401);
    expect((await call(app, 'POST', path, { key: keys.viewer, body })).status).toBe(403);
    expect((await discardOf(h, id)).discarded_at).toBeNull();
  });

  it("answers 404 for another tenant's dead letter and leaves it open", async () => {
    const owner = h.tenant();
    const id = await seedDeadLetter(h, owner);
    const res = await call(
      h.app({ tenantId: h.tenant() }),
      'POST',
      `/api/sync/pricebook/rejections/${id}/discard`,
      {
        key: keys.admin,
        body: { reason: 'not mine to drop' },
      },
    );
    expect(res.status).toBe(404);
    expect(await discardOf(h, id)).toEqual({ discarded_at: null, discarded_by: null, discard_reason: null });
  });
});
