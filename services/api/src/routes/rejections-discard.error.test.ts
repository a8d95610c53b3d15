import { forFile } from '@pricebook/testing/vitest';
import { describe, expect, it } from 'vitest';
import { call, keys, startHarness } from '../test-support';
import { discardOf, seedDeadLetter } from '../test-support/dead-letters';

const h = forFile(() => startHarness());

const discard = (tenant: string, id: string, body?: unknown) =>
  call<{ code: string; detail: string }>(
    h.app({ tenantId: tenant }),
    'POST',
    `/api/sync/pricebook/rejections/${id}/discard`,
    { key: keys.operator, ...(body === undefined ? {} : { body }) },
  );

describe('POST /api/sync/pricebook/rejections/{id}/discard refuses', () => {
  it('a missing, blank or too long reason (400 problem+json), and discards nothing', async () => {
    const tenant = h.tenant();
    const id = await seedDeadLetter(h, tenant);
    for (const body of [undefined, {}, { reason: '' }, { reason: '   ' }, { reason: 'x'.repeat(501) }]) {
      const res = await discard(tenant, id, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.headers.get('content-type')).toBe('application/problem+json');
      expect(res.body.code).toBe('validation_failed');
    }
    expect((await discardOf(h, id)).discarded_at).toBeNull();
    expect((await discard(tenant, id, { reason: 'x'.repeat(500) })).status).toBe(200);
  });

  it('a second discard (409), keeping the first one’s who and why', async () => {
    const tenant = h.tenant();
    const id = await seedDeadLetter(h, tenant);
    expect((await discard(tenant, id, { reason: 'first' })).status).toBe(200);
    const first = await discardOf(h, id);
    const again = await discard(tenant, id, { reason: 'second' });
    expect(again.status).toBe(409);
    expect(again.headers.get('content-type')).toBe('application/problem+json');
    expect(again.body.code).toBe('conflict');
    expect(again.body.detail).toMatch(/already discarded/);
    expect(await discardOf(h, id)).toEqual(first);
  });

  it('an id that is no dead letter (404)', async () => {
    const res = await discard(h.tenant(), '0b6d3c1e-9f1a-4b7e-8c2d-5e4f3a2b1c0d', { reason: 'gone' });
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
  });
});
