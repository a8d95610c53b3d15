import { forFile } from '@pricebook/testing/vitest';
import { describe, expect, it } from 'vitest';
import { keys, startHarness } from '../test-support';
import {
  connectMcp as connect,
  seedServices,
  mcpText as textOf,
  waterHeaterServices,
} from '../test-support/assistant';

const h = forFile(() => startHarness());

describe('the MCP server at /api/mcp', () => {
  it('lists the tools a viewer key may use, read tools marked read-only, no confirmation', async () => {
    const app = h.app({ tenantId: h.tenant() });
    const client = await connect(app, keys.viewer);
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name)).toEqual([
      'search',
      'get_item',
      'list_conflicts',
      'status',
      'propose_changes',
    ]);
    for (const t of tools) {
      expect(t.annotations?.readOnlyHint, t.name).toBe(t.name !== 'propose_changes');
      expect(t.annotations?.destructiveHint, t.name).toBe(false);
    }
    expect(tools.find((t) => t.name === 'search')?.inputSchema.properties).toHaveProperty('q');
    await client.close();
  });

  it('searches, proposes without writing, and lets an operator key confirm', async () => {
    const tenant = h.tenant();
    const [wh40] = await seedServices(h, tenant, waterHeaterServices());
    const app = h.app({ tenantId: tenant });
    const viewer = await connect(app, keys.viewer);
    const found = JSON.parse(
      textOf(await viewer.callTool({ name: 'search', arguments: { q: 'tankless', mode: 'text' } })),
    ) as { items: Array<{ item: { stId: number } }> };
    expect(found.items.map((x) => x.item.stId)).toEqual([503]);

    const proposed = await viewer.callTool({
      name: 'propose_changes',
      arguments: {
        entity: 'services',
        summary: '4% on the 40 gal install',
        items: [{ id: wh40, fields: { price: 1248 } }],
      },
    });
    expect(proposed.isError).toBeFalsy();
    const proposal = JSON.parse(textOf(proposed)) as {
      id: string;
      plan: { priceChanges: number };
      toolCalls: unknown[];
    };
    expect(proposal.plan.priceChanges).toBe(1);
    expect(proposal.toolCalls).toEqual([
      { name: 'propose_changes', arguments: expect.objectContaining({ entity: 'services' }) },
    ]);
    expect(await h.sql('select 1 from pricebook_changes where tenant_id = ?', [tenant])).toEqual([]);
    expect(
      h.lines.filter((l) => l.msg === 'assistant tool call' && l.tenantId === tenant).map((l) => l.tool),
    ).toEqual(['search', 'propose_changes']);

    const refused = await viewer.callTool({
      name: 'get_item',
      arguments: { entity: 'services', id: 'st:999' },
    });
    expect(refused.isError).toBe(true);
    expect(textOf(refused)).toContain('not_found');
    await viewer.close();

    const operator = await connect(app, keys.operator);
    expect((await operator.listTools()).tools.map((t) => t.name)).toContain('confirm_proposal');
    const confirmed = await operator.callTool({ name: 'confirm_proposal', arguments: { id: proposal.id } });
    expect(confirmed.isError).toBeFalsy();
    expect(JSON.parse(textOf(confirmed))).toMatchObject({ status: 'confirmed' });
    const audit = await h.sql<{ actor: string }>('select actor from pricebook_changes where tenant_id = ?', [
      tenant,
    ]);
    expect(audit.map((a) => a.actor)).toEqual([expect.stringMatching(/^assistant:operator:/)]);
    const again = await operator.callTool({ name: 'confirm_proposal', arguments: { id: proposal.id } });
    expect(again.isError).toBe(true);
    await operator.close();
  });

  it('refuses a call without a key before any JSON-RPC (401)', async () => {
    const app = h.app({ tenantId: h.tenant() });
    const res = await app.request('/api/mcp', {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
    });
    expect(res.status).toBe(401);
  });
});
