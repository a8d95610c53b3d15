import { describe, expect } from 'vitest';
import { api, type SyncResult, test } from './test-support';

test.scoped({
  stackOptions: {
    sandbox: { items: 200, seed: 11 },
    env: { WATCHDOG_STALL_MS: '4000', WATCHDOG_INTERVAL_MS: '500' },
  },
});

// Every sync ends: a sync whose worker is gone for good is failed by the applier's watchdog, so a
// caller waiting on it (`?wait=true`, the progress stream, the CLI) is answered instead of hanging.
describe('every sync ends', () => {
  test('fails a sync whose fetcher is gone for good, answers the waiting caller, and frees the entities', async ({
    stack,
  }) => {
    await stack.services.fetcher.kill();

    const waited = await api<SyncResult>(stack, 'POST', '/api/sync/pricebook/full?wait=true', {
      entityTypes: ['materials'],
    });
    expect(waited.status).toBe(200);
    expect(waited.body.success).toBe(false);
    expect(waited.body.status).toBe('failed');
    expect(waited.body.error).toMatch(/stalled/);

    const stream = await fetch(`${stack.api.url}/api/sync/pricebook/logs/${waited.body.syncLogId}/events`, {
      headers: { authorization: `Bearer ${stack.api.key}` },
    });
    const text = await stream.text();
    expect(text).toContain('failed');

    // The failed sync released its run locks: the next one starts and completes.
    await stack.services.fetcher.restart();
    const next = await api<SyncResult>(stack, 'POST', '/api/sync/pricebook/full?wait=true', {
      entityTypes: ['materials'],
    });
    expect(next.status).toBe(200);
    expect(next.body.status).toBe('completed');
  });
});
