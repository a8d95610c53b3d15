import type { Message } from '@pricebook/contracts';
import { forFile } from '@pricebook/testing/vitest';
import { describe, expect, it } from 'vitest';
import { call, keys, startHarness } from '../test-support';

const h = forFile(() => startHarness());

type Command = Message<'sync.command' | 'resolve.command' | 'drift.command'>;

describe('drift routes', () => {
  function world(config: { staleAfterMs?: number } = {}) {
    const tenantId = h.tenant();
    const sent: Command[] = [];
    const app = h.app({
      tenantId,
      publish: async (m) => {
        sent.push(m);
      },
      ...(config.staleAfterMs ? { config: { drift: { staleAfterMs: config.staleAfterMs } } } : {}),
    });
    return { tenantId, sent, app };
  }

  /** What the fetcher writes when a check finishes. */
  async function finish(
    checkId: string,
    items: Array<{ entity: string; stId: number; kind: string; fields: string[] }>,
  ) {
    await h.sql(
      `update pricebook_drift_reports
          set status = ?, checked_at = now(), drifted_count = ?, items = ?::jsonb, st_requests = 6
        where id = ?`,
      [items.length > 0 ? 'drifted' : 'in_sync', items.length, JSON.stringify(items), checkId],
    );
  }

  it('queues a check: a queued report and its drift command, shown as pending until it finishes', async () => {
    const { tenantId, sent, app } = world();
    const queued = await call<{ reportId: string; status: string }>(app, 'POST', '/api/drift/check', {
      key: keys.operator,
    });
    expect(queued.status).toBe(202);
    expect(queued.body.status).toBe('queued');
    expect(sent).toEqual([
      expect.objectContaining({
        id: `drift:${queued.body.reportId}`,
        type: 'drift.command',
        tenant: tenantId,
        data: {
          checkId: queued.body.reportId,
          trigger: 'operator',
          requestedBy: expect.stringMatching(/^api:/),
        },
      }),
    ]);
    const before = await call<{ report: unknown; pending: { id: string }; drift: { state: string } }>(
      app,
      'GET',
      '/api/drift',
      { key: keys.viewer },
    );
    expect(before.body).toMatchObject({
      report: null,
      pending: { id: queued.body.reportId },
      drift: { state: 'unknown' },
    });

    await finish(queued.body.reportId, []);
    const after = await call<{ report: { status: string }; pending: unknown; drift: { state: string } }>(
      app,
      'GET',
      '/api/drift',
      { key: keys.viewer },
    );
    expect(after.body).toMatchObject({
      report: { status: 'in_sync' },
      pending: null,
      drift: { state: 'in_sync', items: 0 },
    });
  });

  it('says drifted in the status, and a re-sync reads exactly the drifted items by id', async () => {
    const { sent, app } = world();
    const queued = await call<{ reportId: string }>(app, 'POST', '/api/drift/check', { key: keys.operator });
    const items = [
      { entity: 'materials', stId: 11, kind: 'differs', fields: ['price'] },
      { entity: 'materials', stId: 12, kind: 'missing_in_st', fields: [] },
      { entity: 'categories', stId: 5, kind: 'missing_locally', fields: [] },
    ];
    await finish(queued.body.reportId, items);
    const status = await call<{ drift: Record<string, unknown> }>(app, 'GET', '/api/sync/pricebook/status', {
      key: keys.viewer,
    });
    expect(status.body.drift).toMatchObject({ state: 'drifted', items: 3, reportId: queued.body.reportId });

    const resync = await call<{ syncLogId: string; items: number }>(app, 'POST', '/api/drift/resync', {
      key: keys.operator,
    });
    expect(resync.status).toBe(202);
    expect(resync.body.items).toBe(3);
    const command = sent.find((m) => m.type === 'sync.command');
    expect(command?.data).toMatchObject({
      syncLogId: resync.body.syncLogId,
      fullSync: false,
      direction: 'from_st',
      entityTypes: ['categories', 'materials'],
      stIds: { categories: [5], materials: [11, 12] },
    });
    expect(command?.data).not.toHaveProperty('exportTokens');
    const [log] = await h.sql<{ options: Record<string, unknown> }>(
      'select options from pricebook_sync_log where id = ?',
      [resync.body.syncLogId],
    );
    expect(log?.options).toMatchObject({ stIds: { categories: [5], materials: [11, 12] } });
  });

  it('starts nothing when the latest report lists nothing', async () => {
    const { app } = world();
    const queued = await call<{ reportId: string }>(app, 'POST', '/api/drift/check', { key: keys.operator });
    await finish(queued.body.reportId, []);
    const resync = await call(app, 'POST', '/api/drift/resync', { key: keys.operator });
    expect(resync.status).toBe(202);
    expect(resync.body).toMatchObject({ syncLogId: null, items: 0 });
  });

  it('says stale once the latest report is older than the threshold, or failed', async () => {
    const { app } = world({ staleAfterMs: 60_000 });
    const queued = await call<{ reportId: string }>(app, 'POST', '/api/drift/check', { key: keys.operator });
    await finish(queued.body.reportId, []);
    await h.sql(`update pricebook_drift_reports set checked_at = now() - interval '2 minutes' where id = ?`, [
      queued.body.reportId,
    ]);
    const stale = await call<{ drift: { state: string } }>(app, 'GET', '/api/sync/pricebook/status', {
      key: keys.viewer,
    });
    expect(stale.body.drift.state).toBe('stale');
    const again = await call<{ reportId: string }>(app, 'POST', '/api/drift/check', { key: keys.operator });
    await h.sql(
      `update pricebook_drift_reports set status = 'failed', checked_at = now(), error = 'x' where id = ?`,
      [again.body.reportId],
    );
    const failed = await call<{ drift: { state: string } }>(app, 'GET', '/api/drift', { key: keys.viewer });
    expect(failed.body.drift.state).toBe('stale');
  });
});
