import { ChatStreamEvent } from '@pricebook/contracts';
import { type FakeChat, lastToolResult, startFakeChat } from '@pricebook/testing';
import { forFile } from '@pricebook/testing/vitest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, keys, startHarness } from '../test-support';
import {
  assistantConfig,
  type HitShape,
  parseSse,
  seedServices,
  waterHeaterServices,
} from '../test-support/assistant';

const h = forFile(() => startHarness());
let fake: FakeChat;
beforeAll(async () => {
  fake = await startFakeChat({ apiKey: 'fake-assistant-provider-key-for-tests' });
});
afterAll(async () => {
  await fake.close();
});

const searchHeaters = {
  toolCalls: [{ name: 'search', arguments: { q: 'water heater install', entity: 'services', mode: 'text' } }],
};

/** A 4% raise of every water heater install the last search found, rounded to cents. */
const proposeRaise = (r: Parameters<typeof lastToolResult>[0]) => {
  const hits = lastToolResult<HitShape>(r).items.filter((x) =>
    /water heater/i.test(x.item.record.displayName ?? ''),
  );
  return {
    toolCalls: [
      {
        name: 'propose_changes',
        arguments: {
          entity: 'services',
          summary: 'Raise water heater installs by 4%',
          items: hits.map((x) => ({
            id: x.item.id,
            fields: { price: Math.round((x.item.record.price ?? 0) * 104) / 100 },
          })),
        },
      },
    ],
  };
};

async function chat(tenant: string, content: string, key: string = keys.viewer) {
  const app = h.app({ tenantId: tenant, config: assistantConfig(fake) });
  const res = await app.request('/api/assistant/chat', {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify({ messages: [{ role: 'user', content }] }),
  });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
  const events = parseSse(await res.text());
  // Every event the chat streams is one the contract describes (the console types them from it).
  for (const e of events) expect(ChatStreamEvent.safeParse(e).error).toBeUndefined();
  return { app, events };
}

describe('POST /api/assistant/chat', () => {
  it('searches with the tools and answers, streamed, with every tool call logged', async () => {
    const tenant = h.tenant();
    await seedServices(h, tenant, waterHeaterServices());
    fake.script([
      searchHeaters,
      (r) => ({
        content: `I found ${lastToolResult<HitShape>(r).items.length} water heater installs.`,
      }),
    ]);
    const { events } = await chat(tenant, 'How many water heater installs do we have?');
    expect(events.map((e) => e.event)).toEqual([
      'tool_call',
      'tool_result',
      ...events.filter((e) => e.event === 'delta').map(() => 'delta'),
      'message',
      'done',
    ]);
    expect(events[0]?.data).toMatchObject({ name: 'search', arguments: { q: 'water heater install' } });
    expect(events.at(-2)?.data).toEqual({ content: 'I found 3 water heater installs.' });
    const deltas = events
      .filter((e) => e.event === 'delta')
      .map((e) => (e.data as { content: string }).content);
    expect(deltas.join('')).toBe('I found 3 water heater installs.');

    // The model got the read tools and the proposal tool, never the confirmation, nor any key.
    expect(fake.requests[0]?.tools).toEqual([
      'search',
      'get_item',
      'list_conflicts',
      'status',
      'propose_changes',
    ]);
    expect(fake.requests[0]?.stream).toBe(true);
    expect(fake.requests[0]?.authorization).toBe('Bearer fake-assistant-provider-key-for-tests');
    const sent = JSON.stringify(fake.requests.map((r) => r.messages));
    for (const secret of [...Object.values(keys), 'fake-assistant-provider-key-for-tests']) {
      expect(sent).not.toContain(secret);
    }
    const logged = h.lines.filter((l) => l.msg === 'assistant tool call' && l.tenantId === tenant);
    expect(logged).toEqual([
      expect.objectContaining({
        tool: 'search',
        arguments: expect.objectContaining({ q: 'water heater install' }),
      }),
    ]);
    expect(JSON.stringify(h.lines)).not.toContain('fake-assistant-provider-key-for-tests');
  });

  it('proposes a 4% raise, writes nothing until an operator confirms, then one audited change-set', async () => {
    const tenant = h.tenant();
    const [wh40, wh50, whTl, drain] = await seedServices(h, tenant, waterHeaterServices());
    fake.script([
      searchHeaters,
      proposeRaise,
      { content: 'I drafted the raise: an operator can confirm it.' },
    ]);
    const { app, events } = await chat(tenant, 'Raise all water heater installs by 4%');
    const proposalEvent = events.find((e) => e.event === 'proposal');
    const proposal = proposalEvent?.data as {
      id: string;
      status: string;
      plan: Record<string, unknown>;
      items: Array<{ id: string; before: unknown; after: unknown }>;
      toolCalls: Array<{ name: string }>;
    };
    expect(proposal.status).toBe('proposed');
    expect(proposal.plan).toMatchObject({ items: 3, unchanged: 0, priceChanges: 3 });
    expect(proposal.plan.largestRelativeChange).toBeCloseTo(0.04, 6);
    expect(proposal.items.map((i) => i.id).sort()).toEqual([wh40, wh50, whTl].sort());
    expect(proposal.items.find((i) => i.id === wh40)).toMatchObject({
      before: { price: 1200 },
      after: { price: 1248 },
    });
    expect(proposal.toolCalls.map((c) => c.name)).toEqual(['search', 'propose_changes']);
    expect(events.at(-1)).toEqual({ event: 'done', data: { rounds: 3, proposals: [proposal.id] } });

    // Nothing written: prices, audit trail and outbox as seeded.
    const prices = () =>
      h.sql<{ id: string; price: string; sync_status: string }>(
        `select id, data->>'price' as price, sync_status from pricebook_services where tenant_id = ? order by st_id`,
        [tenant],
      );
    expect((await prices()).map((r) => r.price)).toEqual(['1200', '1450', '2600', '189']);
    expect(await h.sql('select 1 from pricebook_changes where tenant_id = ?', [tenant])).toEqual([]);

    const listed = await call<{ proposals: Array<{ id: string }> }>(
      app,
      'GET',
      '/api/assistant/proposals?status=proposed',
      {
        key: keys.viewer,
      },
    );
    expect(listed.body.proposals.map((p) => p.id)).toEqual([proposal.id]);

    const confirmed = await call<{ proposal: { status: string; changeSetId: string; decidedBy: string } }>(
      app,
      'POST',
      `/api/assistant/proposals/${proposal.id}/confirm`,
      { key: keys.operator },
    );
    expect(confirmed.status).toBe(200);
    expect(confirmed.body.proposal).toMatchObject({
      status: 'confirmed',
      decidedBy: expect.stringMatching(/^operator:/),
    });
    const after = await prices();
    expect(after.map((r) => r.price)).toEqual(['1248', '1508', '2704', '189']);
    expect(after.map((r) => r.sync_status)).toEqual([
      'pending_sync',
      'pending_sync',
      'pending_sync',
      'synced',
    ]);

    const audit = await h.sql<{ record_id: string; actor: string; changeset_id: string; origin: string }>(
      'select record_id, actor, changeset_id, origin from pricebook_changes where tenant_id = ?',
      [tenant],
    );
    expect(audit).toHaveLength(3);
    expect(audit.map((a) => a.record_id)).not.toContain(drain);
    expect(new Set(audit.map((a) => a.actor))).toEqual(
      new Set([`assistant:${confirmed.body.proposal.decidedBy}`]),
    );
    expect(new Set(audit.map((a) => a.changeset_id))).toEqual(new Set([confirmed.body.proposal.changeSetId]));
    expect(new Set(audit.map((a) => a.origin))).toEqual(new Set(['local']));
    const changeSet = await call<{ changeSet: { kind: string; counts: { updated: number } } }>(
      app,
      'GET',
      `/api/changesets/${confirmed.body.proposal.changeSetId}`,
      { key: keys.viewer },
    );
    expect(changeSet.body.changeSet).toMatchObject({ kind: 'assistant', counts: { updated: 3 } });
  });

  it('feeds a refused tool call back to the model, which answers', async () => {
    const tenant = h.tenant();
    await seedServices(h, tenant, waterHeaterServices());
    fake.script([
      { toolCalls: [{ name: 'get_item', arguments: { entity: 'services', id: 'not-an-id' } }] },
      (r) => ({ content: `Sorry: ${JSON.stringify(lastToolResult(r))}` }),
    ]);
    const { events } = await chat(tenant, 'Show me item not-an-id');
    expect(events.find((e) => e.event === 'tool_result')?.data).toMatchObject({
      name: 'get_item',
      ok: false,
    });
    expect(events.at(-1)?.event).toBe('done');
    expect(events.at(-2)?.data).toEqual({ content: expect.stringContaining('no services record not-an-id') });
  });

  it('stops after the configured tool rounds', async () => {
    const tenant = h.tenant();
    fake.script([
      { toolCalls: [{ name: 'status', arguments: {} }] },
      { toolCalls: [{ name: 'status', arguments: {} }] },
    ]);
    const app = h.app({ tenantId: tenant, config: assistantConfig(fake, { maxToolRounds: 2 }) });
    const res = await app.request('/api/assistant/chat', {
      method: 'POST',
      headers: { authorization: `Bearer ${keys.viewer}`, 'content-type': 'application/json' },
      body: JSON.stringify({ messages: [{ role: 'user', content: 'status?' }] }),
    });
    const events = parseSse(await res.text());
    expect(events.filter((e) => e.event === 'tool_call')).toHaveLength(2);
    expect(events.at(-1)).toMatchObject({ event: 'error', data: { code: 'unavailable' } });
    expect(fake.requests).toHaveLength(2);
  });
});
