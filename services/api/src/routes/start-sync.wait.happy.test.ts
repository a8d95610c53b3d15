import { SyncAccepted, SyncResult } from '@pricebook/contracts';
import { forFile } from '@pricebook/testing/vitest';
import { describe, expect, it } from 'vitest';
import { call, keys, startHarness, until } from '../test-support';

const h = forFile(() => startHarness());

/** The id of the tenant's sync log once the request under test has created it. */
const createdLog = (tenant: string) =>
  until('the sync log row', async () => {
    const [row] = await h.sql<{ id: string }>('select id from pricebook_sync_log where tenant_id = ?', [
      tenant,
    ]);
    return row?.id;
  });

describe('?wait=true', () => {
  it("answers 200 with the spec's completed shape once the sync completes", async () => {
    const tenant = h.tenant();
    const pending = call(h.app({ tenantId: tenant }), 'POST', '/api/sync/pricebook/full?wait=true', {
      key: keys.operator,
      body: { entityTypes: ['categories', 'materials'] },
    });
    const id = await createdLog(tenant);
    // The pipeline is not in this service: finish the sync the way the applier would.
    await h.sql(`update pricebook_sync_log set status = 'running', started_at = now() where id = ?`, [id]);
    await h.sql(
      `update pricebook_sync_log set status = 'completed', completed_at = now(), duration_ms = 45000,
         records_fetched = 1250, records_created = 15, records_updated = 43, records_deleted = 2,
         records_skipped = 1190, conflicts = 0, errors = 0 where id = ?`,
      [id],
    );
    const res = await pending;
    expect(res.status).toBe(200);
    expect(SyncResult.safeParse(res.body).error).toBeUndefined();
    expect(res.body).toEqual({
      success: true,
      syncLogId: id,
      status: 'completed',
      dryRun: false,
      duration: 45000,
      stats: { fetched: 1250, created: 15, updated: 43, deleted: 2, skipped: 1190, conflicts: 0, errors: 0 },
    });
    expect(res.headers.get('location')).toBe(`/api/sync/pricebook/logs/${id}`);
  });

  it('answers with the failed shape and its reason when the sync fails', async () => {
    const tenant = h.tenant();
    const pending = call(h.app({ tenantId: tenant }), 'POST', '/api/sync/pricebook/incremental?wait=true', {
      key: keys.operator,
    });
    const id = await createdLog(tenant);
    await h.sql(
      `update pricebook_sync_log set status = 'failed', duration_ms = 1200, records_fetched = 10, errors = 1,
         error_message = 'ServiceTitan could not be read: 503' where id = ?`,
      [id],
    );
    const res = await pending;
    expect(res.status).toBe(200);
    expect(SyncResult.safeParse(res.body).error).toBeUndefined();
    expect(res.body).toMatchObject({
      success: false,
      syncLogId: id,
      status: 'failed',
      duration: 1200,
      error: 'ServiceTitan could not be read: 503',
      stats: { fetched: 10, errors: 1 },
    });
  });

  it('answers 202 with where the sync got to when the wait runs out', async () => {
    const res = await call(
      h.app({ tenantId: h.tenant(), config: { waitTimeoutMs: 1 } }),
      'POST',
      '/api/sync/pricebook/full?wait=true',
      { key: keys.operator },
    );
    expect(res.status).toBe(202);
    expect(SyncAccepted.safeParse(res.body).error).toBeUndefined();
    expect(res.body).toMatchObject({ success: true, status: 'queued' });
    expect(res.headers.get('location')).toContain(String(res.body.syncLogId));
  });

  it('does not wait without the flag, or with wait=false', async () => {
    for (const query of ['', '?wait=false']) {
      const res = await call(h.app({ tenantId: h.tenant() }), 'POST', `/api/sync/pricebook/full${query}`, {
        key: keys.operator,
      });
      expect(res.status).toBe(202);
      expect(res.body.status).toBe('queued');
    }
  });
});
