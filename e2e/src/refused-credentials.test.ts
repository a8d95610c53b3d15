import { describe, expect } from 'vitest';
import { api, type SyncResult, test } from './test-support';

test.scoped({ stackOptions: { sandbox: { items: 40, seed: 23 } } });

// A tenant whose credentials ServiceTitan refuses: the fetcher fails that sync with ServiceTitan's
// answer as the recorded reason (read from the sync log), and the tenant syncs again once its
// credentials are right.
describe('credentials ServiceTitan refuses', () => {
  test('fail the sync with the reason in its log, and the next sync with good ones completes', async ({
    stack,
  }) => {
    await stack.services.fetcher.restart({ ST_CLIENT_SECRET: 'not-the-secret' });
    const refused = await api<SyncResult & { error: string | null }>(
      stack,
      'POST',
      '/api/sync/pricebook/full?wait=true',
      { entityTypes: ['materials'] },
    );
    expect(refused.body.status).toBe('failed');
    expect(refused.body.error).toBe(
      'unauthorized: materials: ServiceTitan refused the client credentials (400)',
    );
    const log = await api<{ log: { status: string; errorMessage: string | null } }>(
      stack,
      'GET',
      `/api/sync/pricebook/logs/${refused.body.syncLogId}`,
    );
    expect(log.body.log).toMatchObject({ status: 'failed', errorMessage: refused.body.error });

    await stack.services.fetcher.restart({ ST_CLIENT_SECRET: stack.sandbox.clientSecret });
    const next = await api<SyncResult>(stack, 'POST', '/api/sync/pricebook/full?wait=true', {
      entityTypes: ['materials'],
    });
    expect(next.body.status).toBe('completed');
  });
});
