import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { lastToolResult, startFakeChat } from '@pricebook/testing';
import { forFile } from '@pricebook/testing/vitest';
import { describe, expect, it } from 'vitest';
import { api, outboxDrained, rows, stRecords, sync } from './test-support';
import { startWithFakeProvider } from './test-support/fake-provider';

const w = forFile(
  () =>
    startWithFakeProvider(startFakeChat, (fake) => ({
      sandbox: { items: 240, seed: 29 },
      env: { ASSISTANT_URL: fake.url, ASSISTANT_MODEL: 'fake-e2e' },
    })),
  180_000,
);

interface Hits {
  items: Array<{ item: { id: string; stId: number; record: { displayName?: string; price?: number } } }>;
}

/** The events of a server-sent event stream, `data` parsed. */
function parseSse(text: string): Array<{ event: string; data: unknown }> {
  return text
    .split('\n\n')
    .filter((b) => b.trim() !== '' && !b.startsWith(':'))
    .map((b) => {
      const event = /^event: ?(.*)$/m.exec(b)?.[1] ?? 'message';
      const data = b
        .split('\n')
        .filter((l) => l.startsWith('data:'))
        .map((l) => l.slice(5).trimStart())
        .join('\n');
      return { event, data: JSON.parse(data) as unknown };
    });
}

// Issue 13's assistant: a chat drafts a 4% raise of the water heater installs; nothing is written
// until a person confirms; the confirmed edits reach ServiceTitan through the ordinary push and its brake.
describe('the assistant, end to end', () => {
  it('proposes a raise, writes nothing until confirmed, and the next push sends it', async () => {
    expect(await sync(w.stack, 'full')).toMatchObject({ status: 'completed' });
    const raised = (price: number) => Math.round(price * 104) / 100;
    let heaters: Hits['items'] = [];
    w.fake.script([
      {
        toolCalls: [
          { name: 'search', arguments: { q: 'water heater', entity: 'services', mode: 'text', limit: 50 } },
        ],
      },
      (r) => {
        heaters = lastToolResult<Hits>(r).items.filter((x) =>
          /water heater/i.test(x.item.record.displayName ?? ''),
        );
        return {
          toolCalls: [
            {
              name: 'propose_changes',
              arguments: {
                entity: 'services',
                summary: 'Raise water heater installs by 4%',
                items: heaters.map((x) => ({
                  id: x.item.id,
                  fields: { price: raised(x.item.record.price ?? 0) },
                })),
              },
            },
          ],
        };
      },
      { content: 'Drafted: confirm it to apply.' },
    ]);
    const res = await fetch(`${w.stack.api.url}/api/assistant/chat`, {
      method: 'POST',
      headers: { authorization: `Bearer ${w.stack.api.key}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        messages: [{ role: 'user', content: 'Raise all water heater installs by 4%' }],
      }),
    });
    expect(res.status).toBe(200);
    const events = parseSse(await res.text());
    const proposal = events.find((e) => e.event === 'proposal')?.data as {
      id: string;
      plan: { items: number; priceChanges: number; largestRelativeChange: number };
    };
    expect(heaters.length).toBeGreaterThan(0);
    expect(proposal.plan).toMatchObject({ items: heaters.length, priceChanges: heaters.length });
    expect(proposal.plan.largestRelativeChange).toBeGreaterThan(0.035);
    expect(proposal.plan.largestRelativeChange).toBeLessThan(0.045);

    const localEdits = () =>
      rows<{ actor: string; changeset_id: string }>(
        w.sql,
        `select actor, changeset_id from pricebook_changes where origin = 'local'`,
      );
    expect(await localEdits()).toEqual([]);
    const before = (await stRecords(w.stack)).services;

    const confirmed = await api<{ proposal: { changeSetId: string; status: string } }>(
      w.stack,
      'POST',
      `/api/assistant/proposals/${proposal.id}/confirm`,
    );
    expect(confirmed.status).toBe(200);
    const edits = await localEdits();
    expect(edits).toHaveLength(heaters.length);
    expect(new Set(edits.map((e) => e.actor)).size).toBe(1);
    expect(edits[0]?.actor).toMatch(/^assistant:admin:/);
    expect(new Set(edits.map((e) => e.changeset_id))).toEqual(new Set([confirmed.body.proposal.changeSetId]));
    // Nothing reached ServiceTitan before the push.
    for (const x of heaters)
      expect((await stRecords(w.stack)).services.get(x.item.stId)?.price).toBe(
        before.get(x.item.stId)?.price,
      );

    const pushed = await sync(w.stack, 'incremental', { direction: 'to_st', entityTypes: ['services'] });
    expect(pushed).toMatchObject({ status: 'completed' });
    await outboxDrained(w.sql);
    const after = (await stRecords(w.stack)).services;
    for (const x of heaters) {
      expect(after.get(x.item.stId)?.price, `service ${x.item.stId}`).toBe(raised(x.item.record.price ?? 0));
    }
    const [log] = await rows<{ push_impact: { exceeded: string[] } | null }>(
      w.sql,
      'select push_impact from pricebook_sync_log where id = $1',
      [pushed.syncLogId],
    );
    expect(log?.push_impact?.exceeded).toEqual([]);
  });

  it('serves the same tools to a local agent over stdio (pricebook mcp), with the key of the environment', async () => {
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: [fileURLToPath(new URL('../../packages/cli/bin/pricebook.mjs', import.meta.url)), 'mcp'],
      env: {
        PATH: process.env.PATH ?? '',
        PRICEBOOK_API_URL: w.stack.api.url,
        PRICEBOOK_API_KEY: w.stack.api.key,
      },
      stderr: 'ignore',
    });
    const client = new Client({ name: 'local-agent', version: '1.0.0' });
    await client.connect(transport);
    try {
      const { tools } = await client.listTools();
      // An admin key may confirm: the tool is offered.
      expect(tools.map((t) => t.name)).toEqual([
        'search',
        'get_item',
        'list_conflicts',
        'status',
        'propose_changes',
        'confirm_proposal',
      ]);
      const status = await client.callTool({ name: 'status', arguments: {} });
      expect(status.isError).toBeFalsy();
      const [first] = status.content as Array<{ type: string; text: string }>;
      expect(JSON.parse(first?.text ?? '{}')).toMatchObject({ unresolvedConflicts: 0 });
    } finally {
      await client.close();
    }
  });
});
