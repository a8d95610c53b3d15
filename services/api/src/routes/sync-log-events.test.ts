import { forFile } from '@pricebook/testing/vitest';
import { describe, expect, it } from 'vitest';
import { call, keys, startHarness } from '../test-support';

const h = forFile(() => startHarness());

interface Frame {
  event: string | undefined;
  id: string | undefined;
  data: Record<string, unknown>;
}

/** Reads a `text/event-stream` frame by frame (comments skipped), as a browser's EventSource would. */
function frames(body: ReadableStream<Uint8Array>) {
  const reader = body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  return {
    async next(): Promise<Frame | undefined> {
      for (;;) {
        const end = buffer.indexOf('\n\n');
        if (end >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const fields = block.split('\n').filter((l) => !l.startsWith(':'));
          if (fields.length === 0) continue;
          const get = (name: string) =>
            fields.filter((l) => l.startsWith(`${name}: `)).map((l) => l.slice(name.length + 2));
          return { event: get('event')[0], id: get('id')[0], data: JSON.parse(get('data').join('\n')) };
        }
        const { done, value } = await reader.read();
        if (done) return undefined;
        buffer += value;
      }
    },
    cancel: () => reader.cancel(),
  };
}

async function seedLog(tenant: string, status: string, entities: string[]) {
  const [row] = await h.sql<{ id: string }>(
    `insert into pricebook_sync_log (tenant_id, sync_type, direction, status, options)
     values (?, 'full', 'from_st', ?, ?::jsonb) returning id`,
    [tenant, status, JSON.stringify({ entityTypes: entities })],
  );
  const id = String(row?.id);
  if (status === 'queued' || status === 'running') {
    for (const entity of entities) {
      await h.sql('insert into pricebook_sync_runs (tenant_id, entity_type, sync_log_id) values (?, ?, ?)', [
        tenant,
        entity,
        id,
      ]);
    }
  }
  return id;
}

const open = async (tenant: string, id: string, headers: Record<string, string> = {}) => {
  const res = await h.app({ tenantId: tenant }).request(`/api/sync/pricebook/logs/${id}/events`, {
    headers: { authorization: `Bearer ${keys.viewer}`, ...headers },
  });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
  if (!res.body) throw new Error('no body');
  return frames(res.body);
};

describe('GET /api/sync/pricebook/logs/{id}/events', () => {
  it('streams progress as the sync log moves, in order, and ends with completed', async () => {
    const tenant = h.tenant();
    const id = await seedLog(tenant, 'queued', ['categories', 'materials']);
    const stream = await open(tenant, id);

    const first = await stream.next();
    expect(first).toMatchObject({
      event: 'progress',
      id: '1',
      data: {
        syncLogId: id,
        status: 'queued',
        entities: { requested: ['categories', 'materials'], done: [] },
        stats: { fetched: 0, created: 0 },
      },
    });

    await h.sql(
      `update pricebook_sync_log set status = 'running', started_at = now(), records_fetched = 40,
         records_created = 30, records_skipped = 10,
         entity_stats = '{"categories": {"fetched": 40, "created": 30, "updated": 0, "deleted": 0,
           "skipped": 10, "conflicts": 0, "errors": 0}}'::jsonb
       where id = ?`,
      [id],
    );
    await h.sql(`delete from pricebook_sync_runs where sync_log_id = ? and entity_type = 'categories'`, [id]);
    // The two writes may be seen by one poll or by two; either way the counters arrive in order.
    const doneOf = (f: Frame | undefined) => (f?.data.entities as { done: string[] } | undefined)?.done;
    let second = await stream.next();
    while (second && doneOf(second)?.length === 0) second = await stream.next();
    expect(second).toMatchObject({
      event: 'progress',
      data: {
        status: 'running',
        stats: { fetched: 40, created: 30, skipped: 10 },
        entityStats: { categories: { fetched: 40, created: 30 } },
        entities: { done: ['categories'] },
      },
    });

    await h.sql(`delete from pricebook_sync_runs where sync_log_id = ?`, [id]);
    await h.sql(
      `update pricebook_sync_log set status = 'completed', completed_at = now(), duration_ms = 1234,
         records_fetched = 90, records_created = 80 where id = ?`,
      [id],
    );
    const seen: Frame[] = [];
    for (let f = await stream.next(); f; f = await stream.next()) seen.push(f);
    const last = seen.at(-1);
    expect(last).toMatchObject({
      event: 'completed',
      data: {
        status: 'completed',
        durationMs: 1234,
        stats: { fetched: 90, created: 80 },
        entities: { done: ['categories', 'materials'] },
      },
    });
    expect(seen.slice(0, -1).every((f) => f.event === 'progress')).toBe(true);
    const ids = [first, second, ...seen].map((f) => Number(f?.id));
    expect(ids).toEqual(ids.map((_, i) => i + 1));
  });

  it('ends with failed, carrying the reason, when the sync fails', async () => {
    const tenant = h.tenant();
    const id = await seedLog(tenant, 'running', ['categories']);
    const stream = await open(tenant, id);
    expect(await stream.next()).toMatchObject({ event: 'progress', data: { status: 'running' } });
    await h.sql(`delete from pricebook_sync_runs where sync_log_id = ?`, [id]);
    await h.sql(
      `update pricebook_sync_log set status = 'failed', completed_at = now(),
         error_message = 'refused to delete 70% of categories' where id = ?`,
      [id],
    );
    const seen: Frame[] = [];
    for (let f = await stream.next(); f; f = await stream.next()) seen.push(f);
    expect(seen.at(-1)).toMatchObject({
      event: 'failed',
      data: { status: 'failed', errorMessage: 'refused to delete 70% of categories' },
    });
  });

  it('sends only the final event for a sync that has already ended, continuing from Last-Event-ID', async () => {
    const tenant = h.tenant();
    const id = await seedLog(tenant, 'cancelled', ['materials']);
    const stream = await open(tenant, id, { 'last-event-id': '7' });
    expect(await stream.next()).toMatchObject({ event: 'failed', id: '8', data: { status: 'cancelled' } });
    expect(await stream.next()).toBeUndefined();
  });

  it('stops when the client goes away', async () => {
    const tenant = h.tenant();
    const id = await seedLog(tenant, 'running', ['services']);
    const stream = await open(tenant, id);
    expect(await stream.next()).toMatchObject({ event: 'progress' });
    await stream.cancel();
    // The server side notices through the stream's abort; nothing more to read and no error.
    expect(await stream.next().catch(() => undefined)).toBeUndefined();
  });

  it('answers a 404 problem for an unknown id and a 401 without a key', async () => {
    const tenant = h.tenant();
    const missing = await call(
      h.app({ tenantId: tenant }),
      'GET',
      '/api/sync/pricebook/logs/0b6d3c1e-9f1a-4b7e-8c2d-5e4f3a2b1c0d/events',
      { key: keys.viewer },
    );
    expect(missing.status).toBe(404);
    expect(missing.headers.get('content-type')).toBe('application/problem+json');
    expect(missing.body).toMatchObject({ code: 'not_found' });

    const id = await seedLog(tenant, 'completed', ['materials']);
    const anonymous = await call(h.app({ tenantId: tenant }), 'GET', `/api/sync/pricebook/logs/${id}/events`);
    expect(anonymous.status).toBe(401);
  });
});
