import { describe, expect, it } from 'vitest';
import { type TestSandbox, testSandbox } from '../test-support';

type Item = { id: number; price: number; active: boolean };
type Page = { data: Item[]; hasMore: boolean };
type Status = {
  armed: Record<string, unknown> | null;
  fired: { deleted: number[]; edited: number[]; added: number[]; skipped: number[]; errors: string[] }[];
};

async function control<T>(
  sb: TestSandbox,
  method: string,
  body?: unknown,
): Promise<{ status: number; body: T }> {
  const init: RequestInit = { method };
  if (body !== undefined) {
    init.body = JSON.stringify(body);
    init.headers = { 'content-type': 'application/json' };
  }
  const res = await sb.app.request(`/_sandbox/tenants/${sb.tenantId}/page-shift`, init);
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : undefined) as T };
}

/** Reads every page by offset, as an offset-paged client does. */
async function readAll(sb: TestSandbox, pageSize: number): Promise<number[]> {
  const seen: number[] = [];
  for (let page = 1; ; page++) {
    const res = await sb.json<Page>(`materials?active=Any&pageSize=${pageSize}&page=${page}`);
    seen.push(...res.data.map((i) => i.id));
    if (!res.hasMore) return seen;
  }
}

describe('the page shift switch', () => {
  it('deletes the front of page 1 right after it is served, so an offset reader never sees the rows that slide onto it', async () => {
    const sb = testSandbox({ defaultTenant: { items: 100 } });
    const before = (await sb.json<Page>('materials?active=Any&pageSize=500')).data.map((i) => i.id);
    const armed = await control<Status>(sb, 'PUT', {
      entity: 'materials',
      afterPage: 1,
      delete: { front: 3 },
      add: { count: 2 },
    });
    expect(armed.status).toBe(200);
    expect(armed.body.armed).toMatchObject({ entity: 'materials', afterPage: 1 });

    const seen = await readAll(sb, 10);
    const status = (await control<Status>(sb, 'GET')).body;
    expect(status.armed).toBeNull();
    expect(status.fired).toHaveLength(1);
    const [fired] = status.fired;
    expect(fired?.deleted).toEqual(before.slice(0, 3));
    expect(fired?.added).toHaveLength(2);
    expect(fired?.skipped).toEqual([]);

    // The three rows that moved from page 2 onto page 1 were never listed, yet ST still has them.
    const missed = before.slice(10, 13);
    expect(seen.filter((id) => missed.includes(id))).toEqual([]);
    const live = (await sb.json<Page>('materials?active=Any&pageSize=500')).data.map((i) => i.id);
    expect(live).toEqual([...before.slice(3), ...(fired?.added ?? [])]);
    expect(seen).toEqual([...before.slice(0, 10), ...before.slice(13), ...(fired?.added ?? [])]);
    const byIds = await sb.json<Page>(`materials?active=Any&ids=${missed.join(',')}`);
    expect(byIds.data.map((i) => i.id)).toEqual(missed);
  });

  it('goes off once, only after the named page of a listing, not on look-ups by id', async () => {
    const sb = testSandbox({ defaultTenant: { items: 100 } });
    const all = (await sb.json<Page>('materials?active=Any&pageSize=500')).data;
    const [a, b] = all;
    await control(sb, 'PUT', {
      entity: 'materials',
      afterPage: 2,
      edit: { ids: [a?.id ?? 0], fields: { price: 123.45 } },
      delete: { ids: [b?.id ?? 0] },
    });
    await sb.json(`materials?active=Any&ids=${a?.id},${b?.id}&page=2`);
    await sb.json('services?active=Any&pageSize=5&page=2');
    await sb.json('materials?active=Any&pageSize=5&page=1');
    expect((await control<Status>(sb, 'GET')).body.fired).toEqual([]);

    await sb.json('materials?active=Any&pageSize=5&page=2');
    await sb.json('materials?active=Any&pageSize=5&page=2');
    const { fired } = (await control<Status>(sb, 'GET')).body;
    expect(fired).toEqual([
      expect.objectContaining({ edited: [a?.id], deleted: [b?.id], added: [], skipped: [], errors: [] }),
    ]);
    expect((await sb.json<Item>(`materials/${a?.id}`)).price).toBe(123.45);
    expect((await sb.api(`materials/${b?.id}`)).status).toBe(404);
  });

  it('refuses a shift naming unknown items or no write, and can be disarmed', async () => {
    const sb = testSandbox({ defaultTenant: { items: 20 } });
    expect((await control(sb, 'PUT', { entity: 'materials', delete: { ids: [1] } })).status).toBe(400);
    expect((await control(sb, 'PUT', { entity: 'materials' })).status).toBe(400);
    expect((await control(sb, 'PUT', { entity: 'materials', delete: { ids: [1], front: 2 } })).status).toBe(
      400,
    );
    expect((await control(sb, 'PUT', { entity: 'widgets', delete: { front: 1 } })).status).toBe(400);

    await control(sb, 'PUT', { entity: 'materials', delete: { front: 1 } });
    expect((await control(sb, 'DELETE')).status).toBe(204);
    await sb.json('materials?active=Any&pageSize=5&page=1');
    expect((await control<Status>(sb, 'GET')).body).toEqual({ armed: null, fired: [] });
  });
});
