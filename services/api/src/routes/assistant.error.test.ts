import { forFile } from '@pricebook/testing/vitest';
import { describe, expect, it } from 'vitest';
import { propose } from '../assistant/proposals';
import { call, keys, startHarness } from '../test-support';
import { seedServices, waterHeaterServices } from '../test-support/assistant';

const h = forFile(() => startHarness());

/** A tenant with the water heater services and a proposal raising the first two; its id. */
async function proposed(tenant: string, ttlMs = 3_600_000) {
  const ids = await seedServices(h, tenant, waterHeaterServices());
  const proposal = await propose(h.orm, {
    tenantId: tenant,
    createdBy: 'viewer:abc',
    ttlMs,
    toolCalls: [],
    draft: {
      entity: 'services',
      summary: 'raise',
      items: [
        { id: ids[0] ?? '', fields: { price: 1248 } },
        { id: 'st:502', fields: { price: 1508 } },
      ],
    },
  });
  return { ids, id: proposal.id };
}

const pricesOf = (tenant: string) =>
  h
    .sql<{ price: string }>(
      `select data->>'price' as price from pricebook_services where tenant_id = ? order by st_id`,
      [tenant],
    )
    .then((rows) => rows.map((r) => r.price));

describe('the assistant refuses', () => {
  it('to chat without a configured model: 503 naming the variables', async () => {
    const res = await call(h.app({ tenantId: h.tenant() }), 'POST', '/api/assistant/chat', {
      key: keys.viewer,
      body: { messages: [{ role: 'user', content: 'hello' }] },
    });
    expect(res.status).toBe(503);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    expect(res.body).toMatchObject({ code: 'unavailable', detail: expect.stringContaining('ASSISTANT_URL') });
    // Not worth asking again: the typed client and the console show it at once.
    expect(res.body).toMatchObject({ retry: false });
  });

  it('a confirmation when a record changed since the proposal (409), writing nothing', async () => {
    const tenant = h.tenant();
    const { id } = await proposed(tenant);
    const app = h.app({ tenantId: tenant });
    // A person edits the 50 gal install after the proposal was drafted.
    const edit = await call(app, 'PATCH', '/api/pricebook/services/st:502', {
      key: keys.operator,
      body: { price: 1499 },
    });
    expect(edit.status).toBe(200);
    const res = await call(app, 'POST', `/api/assistant/proposals/${id}/confirm`, { key: keys.operator });
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({
      code: 'conflict',
      detail: expect.stringContaining('changed since the proposal'),
    });
    expect(await pricesOf(tenant)).toEqual(['1200', '1499', '2600', '189']);
    const changes = await h.sql<{ actor: string }>(
      'select actor from pricebook_changes where tenant_id = ?',
      [tenant],
    );
    expect(changes.map((c) => c.actor)).toEqual([expect.stringMatching(/^api:operator:/)]);
    const after = await call<{ proposal: { status: string } }>(app, 'GET', `/api/assistant/proposals/${id}`, {
      key: keys.viewer,
    });
    expect(after.body.proposal.status).toBe('proposed');
  });

  it('an expired proposal (409), which then reads as expired', async () => {
    const tenant = h.tenant();
    const { id } = await proposed(tenant);
    await h.sql(
      `update pricebook_assistant_proposals set expires_at = now() - interval '1 second' where id = ?`,
      [id],
    );
    const app = h.app({ tenantId: tenant });
    const res = await call(app, 'POST', `/api/assistant/proposals/${id}/confirm`, { key: keys.operator });
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ detail: expect.stringContaining('expired') });
    expect(await pricesOf(tenant)).toEqual(['1200', '1450', '2600', '189']);
    const [row] = await h.sql<{ status: string }>(
      'select status from pricebook_assistant_proposals where id = ?',
      [id],
    );
    expect(row?.status).toBe('expired');
  });

  it('a second confirmation, and a confirmation after a rejection (409)', async () => {
    const tenant = h.tenant();
    const app = h.app({ tenantId: tenant });
    const { id } = await proposed(tenant);
    expect(
      (await call(app, 'POST', `/api/assistant/proposals/${id}/confirm`, { key: keys.operator })).status,
    ).toBe(200);
    const again = await call(app, 'POST', `/api/assistant/proposals/${id}/confirm`, { key: keys.operator });
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ detail: expect.stringContaining('already confirmed') });
    expect((await h.sql('select 1 from pricebook_changes where tenant_id = ?', [tenant])).length).toBe(2);

    const other = h.tenant();
    const second = await proposed(other);
    const otherApp = h.app({ tenantId: other });
    expect(
      (await call(otherApp, 'POST', `/api/assistant/proposals/${second.id}/reject`, { key: keys.operator }))
        .status,
    ).toBe(200);
    const late = await call(otherApp, 'POST', `/api/assistant/proposals/${second.id}/confirm`, {
      key: keys.operator,
    });
    expect(late.status).toBe(409);
    expect(late.body).toMatchObject({ detail: expect.stringContaining('already rejected') });
    expect(await pricesOf(other)).toEqual(['1200', '1450', '2600', '189']);
  });

  it('to draft edits the bulk edit would refuse', async () => {
    const tenant = h.tenant();
    await seedServices(h, tenant, waterHeaterServices());
    const draft = (items: Array<{ id: string; fields: Record<string, unknown> }>) =>
      propose(h.orm, {
        tenantId: tenant,
        createdBy: 'viewer:abc',
        ttlMs: 60_000,
        toolCalls: [],
        draft: { entity: 'services', summary: 's', items },
      });
    await expect(draft([{ id: 'st:501', fields: { price: 'lots' } }])).rejects.toMatchObject({
      code: 'validation_failed',
    });
    await expect(draft([{ id: 'st:999', fields: { price: 5 } }])).rejects.toMatchObject({
      code: 'not_found',
    });
    await expect(
      draft([
        { id: 'st:501', fields: { price: 5 } },
        { id: 'st:501', fields: { price: 6 } },
      ]),
    ).rejects.toMatchObject({ code: 'validation_failed' });
    expect(await h.sql('select 1 from pricebook_assistant_proposals where tenant_id = ?', [tenant])).toEqual(
      [],
    );
  });

  it('to draft fields that are not editable, naming each field and why in the message', async () => {
    const tenant = h.tenant();
    await seedServices(h, tenant, waterHeaterServices());
    const refusal = await propose(h.orm, {
      tenantId: tenant,
      createdBy: 'viewer:abc',
      ttlMs: 60_000,
      toolCalls: [],
      draft: {
        entity: 'services',
        summary: 's',
        items: [
          {
            id: 'st:501',
            fields: { id: 9, modifiedOn: '2026-01-01T00:00:00Z', syncStatus: 'synced', price: 'lots' },
          },
        ],
      },
    }).then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(refusal).toMatchObject({ code: 'validation_failed' });
    // The model and an MCP agent read only the message: each field is named with its reason.
    const message = (refusal as Error).message;
    expect(message).toContain('items.0.fields.id (read-only field)');
    expect(message).toContain('items.0.fields.modifiedOn (read-only field)');
    expect(message).toContain('items.0.fields.syncStatus (unknown field)');
    expect(message).toMatch(/items\.0\.fields\.price \(.+\)/);
    expect(await h.sql('select 1 from pricebook_assistant_proposals where tenant_id = ?', [tenant])).toEqual(
      [],
    );
  });
});

describe('a drafted proposal', () => {
  it('holds values as the record will ("1248.50" → 1248.5), and a value already held is unchanged', async () => {
    const tenant = h.tenant();
    const [wh40, wh50] = await seedServices(h, tenant, waterHeaterServices());
    const proposal = await propose(h.orm, {
      tenantId: tenant,
      createdBy: 'viewer:abc',
      ttlMs: 60_000,
      toolCalls: [],
      draft: {
        entity: 'services',
        summary: 's',
        items: [
          { id: wh40 ?? '', fields: { price: '1248.50' } },
          { id: wh50 ?? '', fields: { price: '1450' } },
        ],
      },
    });
    expect(proposal.items).toEqual([expect.objectContaining({ id: wh40, after: { price: 1248.5 } })]);
    expect(proposal.plan).toMatchObject({ items: 1, unchanged: 1, priceChanges: 1 });
  });
});
