import { forFile } from '@pricebook/testing/vitest';
import { describe, expect, it } from 'vitest';
import { call, keys, startHarness } from '../test-support';

const h = forFile(() => startHarness());

describe('search and similar refuse bad input with problem+json', () => {
  it.each([
    ['/api/pricebook/search', 'q'],
    ['/api/pricebook/search?q=', 'q'],
    ['/api/pricebook/search?q=elbow&mode=fuzzy', 'mode'],
    ['/api/pricebook/search?q=elbow&entity=widgets', 'entity'],
    ['/api/pricebook/search?q=elbow&limit=1000', 'limit'],
    ['/api/pricebook/materials/st:1/similar?maxDistance=3', 'maxDistance'],
  ])('%s → 400 naming %s', async (path, field) => {
    const res = await call(h.app(), 'GET', path, { key: keys.viewer });
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toMatch(/application\/problem\+json/);
    expect(JSON.stringify(res.body)).toContain(field);
  });

  it('answers 404 for a record the tenant does not have', async () => {
    const res = await call(h.app(), 'GET', '/api/pricebook/materials/st:424242/similar', {
      key: keys.viewer,
    });
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toMatch(/application\/problem\+json/);
  });

  it('needs a key', async () => {
    expect((await call(h.app(), 'GET', '/api/pricebook/search?q=elbow')).status).toBe(401);
    expect((await call(h.app(), 'GET', '/api/pricebook/materials/st:1/similar')).status).toBe(401);
  });
});
