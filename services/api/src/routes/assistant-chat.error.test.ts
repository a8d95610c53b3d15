import { type FakeChat, startFakeChat } from '@pricebook/testing';
import { forFile } from '@pricebook/testing/vitest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keys, startHarness } from '../test-support';
import { assistantConfig, parseSse, seedServices, waterHeaterServices } from '../test-support/assistant';

const assistantSettings = () => {
  const model = assistantConfig(fake).assistant?.model;
  if (!model) throw new Error('assistantConfig gives a model');
  return model;
};

const h = forFile(() => startHarness());
let fake: FakeChat;
beforeAll(async () => {
  fake = await startFakeChat({ apiKey: 'fake-assistant-provider-key-for-tests' });
});
afterAll(async () => {
  await fake.close();
});

async function chat(tenant: string, content: string) {
  const app = h.app({ tenantId: tenant, config: assistantConfig(fake) });
  return app.request('/api/assistant/chat', {
    method: 'POST',
    headers: { authorization: `Bearer ${keys.viewer}`, 'content-type': 'application/json' },
    body: JSON.stringify({ messages: [{ role: 'user', content }] }),
  });
}

const toolCallLines = (tenant: string) =>
  h.lines.filter((l) => l.msg === 'assistant tool call' && l.tenantId === tenant);

describe('POST /api/assistant/chat when things go wrong', () => {
  it('answers 503 problem+json naming the model when it fails before its first answer', async () => {
    // The fake answers 500 past the end of its (empty) script, retries included.
    fake.script([]);
    const res = await chat(h.tenant(), 'status?');
    expect(res.status).toBe(503);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    const body = (await res.json()) as Record<string, unknown>;
    const host = new URL(fake.url).host;
    expect(body).toMatchObject({
      code: 'unavailable',
      detail: `the assistant model fake-model at ${host} answered 500`,
      model: 'fake-model',
    });
    expect(JSON.stringify(body)).not.toContain('fake-assistant-provider-key-for-tests');
  });

  it('answers 503 naming the model when it refuses the key, and never logs what the provider said', async () => {
    const app = h.app({
      tenantId: h.tenant(),
      config: {
        assistant: {
          model: { ...assistantSettings(), apiKey: 'fake-wrong-provider-key-for-tests' },
        },
      },
    });
    const res = await app.request('/api/assistant/chat', {
      method: 'POST',
      headers: { authorization: `Bearer ${keys.viewer}`, 'content-type': 'application/json' },
      body: JSON.stringify({ messages: [{ role: 'user', content: 'status?' }] }),
    });
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({
      detail: expect.stringMatching(/fake-model at .* answered 401$/),
    });
    const failed = h.lines.filter((l) => l.msg === 'assistant model failed');
    expect(failed.at(-1)).toMatchObject({ err: { status: 401 }, model: 'fake-model' });
    expect(JSON.stringify(h.lines)).not.toContain('fake-wrong-provider-key-for-tests');
  });

  it('ends an open stream with an error event naming the model when it fails later', async () => {
    const tenant = h.tenant();
    fake.script([{ toolCalls: [{ name: 'status', arguments: {} }] }]);
    const res = await chat(tenant, 'status?');
    expect(res.status).toBe(200);
    const events = parseSse(await res.text());
    expect(events.map((e) => e.event)).toEqual(['tool_call', 'tool_result', 'error']);
    expect(events.at(-1)?.data).toEqual({
      code: 'upstream_unavailable',
      detail: expect.stringContaining('the assistant model fake-model at'),
    });
    expect(toolCallLines(tenant).map((l) => l.tool)).toEqual(['status']);
  });

  it('answers a malformed tool call to the model as a tool error, logs it, and goes on', async () => {
    const tenant = h.tenant();
    await seedServices(h, tenant, waterHeaterServices());
    fake.script([
      { toolCalls: [{ name: 'search', arguments: '{"q": "water heater' }] },
      { toolCalls: [{ name: 'delete_everything', arguments: { all: true } }] },
      { toolCalls: [{ name: 'get_item', arguments: { entity: 'widgets', id: 'st:501' } }] },
      { content: 'I could not do that.' },
    ]);
    const res = await chat(tenant, 'Find the water heaters');
    expect(res.status).toBe(200);
    const events = parseSse(await res.text());
    // Each call is shown, a malformed one with its arguments as the model wrote them.
    expect(events.filter((e) => e.event === 'tool_call').map((e) => e.data)).toEqual([
      { id: expect.any(String), name: 'search', arguments: '{"q": "water heater' },
      { id: expect.any(String), name: 'delete_everything', arguments: { all: true } },
      { id: expect.any(String), name: 'get_item', arguments: { entity: 'widgets', id: 'st:501' } },
    ]);
    const results = events.filter((e) => e.event === 'tool_result').map((e) => e.data);
    expect(results).toEqual([
      { id: expect.any(String), name: 'search', ok: false, error: 'invalid arguments: not JSON' },
      {
        id: expect.any(String),
        name: 'delete_everything',
        ok: false,
        error: expect.stringContaining('no tool delete_everything'),
      },
      {
        id: expect.any(String),
        name: 'get_item',
        ok: false,
        error: expect.stringContaining('invalid arguments'),
      },
    ]);
    expect(events.at(-2)).toEqual({ event: 'message', data: { content: 'I could not do that.' } });
    expect(events.at(-1)).toMatchObject({ event: 'done', data: { rounds: 4 } });

    // The model was told each refusal, as the tool's answer to its call.
    const toolMessages = (fake.requests.at(-1)?.messages ?? []).filter((m) => m.role === 'tool');
    expect(toolMessages.map((m) => JSON.parse(m.content ?? '{}'))).toEqual(
      results.map((r) => ({ error: (r as { error: string }).error })),
    );

    // Each call is logged with its arguments as sent, and why it was refused.
    expect(toolCallLines(tenant)).toEqual([
      expect.objectContaining({
        tool: 'search',
        arguments: '{"q": "water heater',
        refused: 'arguments not JSON',
      }),
      expect.objectContaining({
        tool: 'delete_everything',
        arguments: '{"all":true}',
        refused: 'unknown tool',
      }),
      expect.objectContaining({
        tool: 'get_item',
        arguments: { entity: 'widgets', id: 'st:501' },
        refused: 'invalid arguments',
      }),
    ]);
    expect(await h.sql('select 1 from pricebook_changes where tenant_id = ?', [tenant])).toEqual([]);
  });
});
