import { forFile } from '@pricebook/testing/vitest';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ApiApp } from '../context';
import { call, keys, startHarness } from '../test-support';

const h = forFile(() => startHarness());
let app: ApiApp;
beforeAll(async () => {
  app = h.app({ tenantId: h.tenant(), natsHealth: async () => undefined });
});

const reads = ['/api/sync/pricebook/status', '/api/sync/pricebook/logs'];
const syncs = ['/api/sync/pricebook/full', '/api/sync/pricebook/incremental'];

describe('without a valid key', () => {
  it.each([
    ['no Authorization header', {}],
    ['an unknown key', { authorization: `Bearer ${keys.admin}x` }],
    ['a key without the Bearer scheme', { authorization: keys.admin }],
    [
      'Basic credentials',
      { authorization: `Basic ${Buffer.from(`admin:${keys.admin}`).toString('base64')}` },
    ],
    ['an empty bearer', { authorization: 'Bearer ' }],
  ])('%s → 401 problem with a Bearer challenge', async (_what, headers) => {
    const requests: Array<[string, string]> = [
      ...reads.map((p): [string, string] => ['GET', p]),
      ...syncs.map((p): [string, string] => ['POST', p]),
    ];
    for (const [method, path] of requests) {
      const res = await call(app, method, path, { headers });
      expect(res.status, `${method} ${path}`).toBe(401);
      expect(res.headers.get('content-type')).toBe('application/problem+json');
      expect(res.headers.get('www-authenticate')).toMatch(/^Bearer/);
      expect(res.body).toMatchObject({ code: 'unauthorized', status: 401 });
    }
  });

  it('checks the key before the body, so an anonymous caller learns nothing about validation', async () => {
    const res = await call(app, 'POST', syncs[0] ?? '', { body: { entityTypes: ['widgets'] } });
    expect(res.status).toBe(401);
  });

  it('creates no sync', async () => {
    const tenant = h.tenant();
    await call(h.app({ tenantId: tenant }), 'POST', '/api/sync/pricebook/full', {
      key: 'nope-nope-nope-nope',
    });
    expect(await h.sql('select id from pricebook_sync_log where tenant_id = ?', [tenant])).toHaveLength(0);
  });
});

describe('roles', () => {
  it('viewer reads but may not start a sync (403)', async () => {
    for (const path of reads) expect((await call(app, 'GET', path, { key: keys.viewer })).status).toBe(200);
    for (const path of syncs) {
      const res = await call(app, 'POST', path, { key: keys.viewer });
      expect(res.status).toBe(403);
      expect(res.headers.get('content-type')).toBe('application/problem+json');
      expect(res.body).toMatchObject({ code: 'forbidden', requiredRole: 'operator' });
    }
  });

  it('operator and admin read and sync', async () => {
    for (const key of [keys.operator, keys.admin]) {
      for (const path of reads) expect((await call(app, 'GET', path, { key })).status).toBe(200);
      const tenantApp = h.app({ tenantId: h.tenant() });
      for (const path of syncs) {
        const res = await call(tenantApp, 'POST', path, {
          key,
          body: { entityTypes: [path.endsWith('full') ? 'materials' : 'services'] },
        });
        expect(res.status).toBe(202);
      }
    }
  });

  it('accepts the scheme name in any case', async () => {
    const res = await call(app, 'GET', reads[0] ?? '', {
      headers: { authorization: `bearer ${keys.viewer}` },
    });
    expect(res.status).toBe(200);
  });
});

describe('public endpoints', () => {
  it.each(['/healthz', '/readyz', '/openapi.json', '/asyncapi.json', '/docs'])(
    '%s needs no key',
    async (path) => {
      expect((await call(app, 'GET', path)).status).toBe(200);
    },
  );
});

describe('secrets', () => {
  it('never writes a key to the logs or to the database', async () => {
    const tenant = h.tenant();
    const tenantApp = h.app({ tenantId: tenant });
    await call(tenantApp, 'POST', '/api/sync/pricebook/full', { key: keys.operator });
    await call(tenantApp, 'GET', '/api/sync/pricebook/status', { key: keys.viewer });
    await call(tenantApp, 'GET', '/api/sync/pricebook/status', { key: `${keys.viewer}-wrong` });
    const logged = JSON.stringify(h.lines);
    expect(h.lines.some((l) => l.msg === 'request completed')).toBe(true);
    for (const key of Object.values(keys)) expect(logged).not.toContain(key);
    const rows = JSON.stringify(
      await h.sql('select * from pricebook_sync_log where tenant_id = ?', [tenant]),
    );
    for (const key of Object.values(keys)) expect(rows).not.toContain(key);
  });
});
