import { forFile } from '@pricebook/testing/vitest';
import { describe, expect, it } from 'vitest';
import { call, keys, startHarness } from '../test-support';

const h = forFile(() => startHarness());

describe('drift routes: who may', () => {
  it.each([
    ['no key', undefined, 401],
    ['a viewer', keys.viewer, 403],
  ])('refuse a check or a re-sync to %s', async (_who, key, expected) => {
    const app = h.app({ tenantId: h.tenant() });
    for (const path of ['/api/drift/check', '/api/drift/resync']) {
      const res = await call(app, 'POST', path, { key });
      expect(res.status).toBe(expected);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
    }
  });

  it('refuse the report without a key, and answer 404 to a re-sync before any report', async () => {
    const app = h.app({ tenantId: h.tenant() });
    expect((await call(app, 'GET', '/api/drift')).status).toBe(401);
    const res = await call(app, 'POST', '/api/drift/resync', { key: keys.operator });
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
  });
});
