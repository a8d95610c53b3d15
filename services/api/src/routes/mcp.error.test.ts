import { forFile } from '@pricebook/testing/vitest';
import { describe, expect, it } from 'vitest';
import { keys, startHarness } from '../test-support';
import { connectMcp, mcpText, seedServices, waterHeaterServices } from '../test-support/assistant';

const h = forFile(() => startHarness());

const listTools = (host: string) => ({
  method: 'POST',
  headers: {
    host,
    authorization: `Bearer ${keys.viewer}`,
    'content-type': 'application/json',
    accept: 'application/json, text/event-stream',
  },
  body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
});

describe('the MCP server refuses', () => {
  it('a proposal of fields that are not editable, naming each and why, storing nothing', async () => {
    const tenant = h.tenant();
    const [wh40] = await seedServices(h, tenant, waterHeaterServices());
    const client = await connectMcp(h.app({ tenantId: tenant }), keys.viewer);
    const refused = await client.callTool({
      name: 'propose_changes',
      arguments: {
        entity: 'services',
        summary: 'mark it synced',
        items: [{ id: wh40, fields: { id: 77, syncStatus: 'synced', price: 'lots' } }],
      },
    });
    expect(refused.isError).toBe(true);
    const text = mcpText(refused);
    expect(text).toMatch(/^validation_failed: the proposal is not valid: /);
    expect(text).toContain('items.0.fields.id (read-only field)');
    expect(text).toContain('items.0.fields.syncStatus (unknown field)');
    expect(text).toContain('items.0.fields.price (');
    expect(await h.sql('select 1 from pricebook_assistant_proposals where tenant_id = ?', [tenant])).toEqual(
      [],
    );
    await client.close();
  });

  it('an unknown tool and arguments its schema refuses, each call logged with its arguments', async () => {
    const tenant = h.tenant();
    const client = await connectMcp(h.app({ tenantId: tenant }), keys.viewer);
    const bad = await client.callTool({ name: 'search', arguments: { q: 5, mode: 'fuzzy' } });
    expect(bad.isError).toBe(true);
    const unknown = await client.callTool({ name: 'drop_tables', arguments: { all: true } });
    expect(unknown.isError).toBe(true);
    await client.callTool({ name: 'status', arguments: {} });
    await client.close();
    const logged = h.lines.filter((l) => l.msg === 'assistant tool call' && l.tenantId === tenant);
    expect(logged).toEqual([
      expect.objectContaining({
        tool: 'search',
        arguments: { q: 5, mode: 'fuzzy' },
        refused: expect.stringContaining('invalid arguments'),
      }),
      expect.objectContaining({
        tool: 'drop_tables',
        arguments: { all: true },
        refused: expect.stringContaining('unknown tool'),
      }),
      expect.objectContaining({ tool: 'status', arguments: {} }),
    ]);
    expect(logged[2]).not.toHaveProperty('refused');
  });

  it('a confirmation by a viewer key, which is not offered the tool, writing nothing', async () => {
    const tenant = h.tenant();
    const [wh40] = await seedServices(h, tenant, waterHeaterServices());
    const app = h.app({ tenantId: tenant });
    const viewer = await connectMcp(app, keys.viewer);
    const proposed = await viewer.callTool({
      name: 'propose_changes',
      arguments: { entity: 'services', summary: 'raise', items: [{ id: wh40, fields: { price: 1248 } }] },
    });
    const { id } = JSON.parse(mcpText(proposed)) as { id: string };
    const refused = await viewer.callTool({ name: 'confirm_proposal', arguments: { id } });
    expect(refused.isError).toBe(true);
    expect(mcpText(refused)).toContain('confirm_proposal');
    await viewer.close();
    expect(await h.sql('select 1 from pricebook_changes where tenant_id = ?', [tenant])).toEqual([]);
    const [row] = await h.sql<{ status: string }>(
      'select status from pricebook_assistant_proposals where id = ?',
      [id],
    );
    expect(row?.status).toBe('proposed');

    // An operator key sees it, marked as the one tool that overwrites values.
    const operator = await connectMcp(app, keys.operator);
    const confirm = (await operator.listTools()).tools.find((t) => t.name === 'confirm_proposal');
    expect(confirm?.annotations).toMatchObject({ readOnlyHint: false, destructiveHint: true });
    await operator.close();
  });

  it('a request for a host not in MCP_ALLOWED_HOSTS (403), and serves the hosts in it', async () => {
    const app = h.app({
      tenantId: h.tenant(),
      config: { mcp: { allowedHosts: ['pricebook.example.com', 'localhost:3001'] } },
    });
    const rebound = await app.request('/api/mcp', listTools('attacker.example:3001'));
    expect(rebound.status).toBe(403);
    expect(await rebound.json()).toMatchObject({ error: { message: expect.stringContaining('Host') } });

    for (const host of ['pricebook.example.com', 'localhost:3001']) {
      const res = await app.request('/api/mcp', listTools(host));
      expect(res.status, host).toBe(200);
      const body = (await res.json()) as { result: { tools: Array<{ name: string }> } };
      expect(body.result.tools.map((t) => t.name)).toContain('search');
    }
    // The SDK's client, through a host the deployment names.
    const client = await connectMcp(app, keys.viewer, { host: 'pricebook.example.com' });
    expect((await client.listTools()).tools.length).toBeGreaterThan(0);
    await client.close();
  });

  it('no host when MCP_ALLOWED_HOSTS is unset: the keys guard the endpoint', async () => {
    const app = h.app({ tenantId: h.tenant() });
    const res = await app.request('/api/mcp', listTools('anything.example'));
    expect(res.status).toBe(200);
  });
});
