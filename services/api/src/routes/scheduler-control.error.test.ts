import { forFile } from '@pricebook/testing/vitest';
import { describe, expect, it } from 'vitest';
import { call, keys, startHarness } from '../test-support';

const h = forFile(() => startHarness());

describe('scheduler start/stop errors', () => {
  it('answers 503 when the KV store is not connected, and status falls back to the env', async () => {
    const app = h.app();
    const res = await call(app, 'POST', '/api/sync/pricebook/scheduler/stop', { key: keys.admin });
    expect(res.status).toBe(503);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    const status = await call<{ scheduler: { isRunning: boolean } }>(
      app,
      'GET',
      '/api/sync/pricebook/status',
      {
        key: keys.viewer,
      },
    );
    expect(status.body.scheduler.isRunning).toBe(true);
  });

  it.each([
    ['no key', undefined, 401],
    ['a viewer', keys.viewer, 403],
    ['an operator', keys.operator, 403],
  ])('refuses %s', async (_who, key, expected) => {
    for (const action of ['start', 'stop']) {
      const res = await call(h.app(), 'POST', `/api/sync/pricebook/scheduler/${action}`, { key });
      expect(res.status).toBe(expected);
    }
  });
});
