import { createApiClient, ProblemError } from '@pricebook/client';
import { describe, expect, it } from 'vitest';
import type { ChatEvent } from './chat';
import { chatFailure, chatTurn } from './chat-stream';

// The console's client over a fetch that answers as the API does (its 503 problem, its event
// stream in uneven chunks), so the page's reading of both is tested without a model.

interface Sent {
  url: string;
  body: unknown;
  accept: string | null;
}

function clientAnswering(answer: () => Response, sent: Sent[] = []) {
  return createApiClient({
    baseUrl: 'http://api.test',
    fetch: async (input, init) => {
      const request = new Request(input, init);
      sent.push({ url: request.url, body: await request.json(), accept: request.headers.get('accept') });
      return answer();
    },
  });
}

const problem = (status: number, body: Record<string, unknown>) => () =>
  new Response(JSON.stringify({ type: 'about:blank', status, ...body }), {
    status,
    headers: { 'content-type': 'application/problem+json' },
  });

function streamOf(chunks: string[], signal?: AbortSignal) {
  return () =>
    new Response(
      new ReadableStream<Uint8Array>({
        async start(controller) {
          for (const c of chunks) controller.enqueue(new TextEncoder().encode(c));
          if (!signal) controller.close();
          else signal.addEventListener('abort', () => controller.error(signal.reason), { once: true });
        },
      }),
      { status: 200, headers: { 'content-type': 'text/event-stream' } },
    );
}

async function all(gen: AsyncGenerator<ChatEvent>): Promise<ChatEvent[]> {
  const out: ChatEvent[] = [];
  for await (const e of gen) out.push(e);
  return out;
}

const hello = [{ role: 'user' as const, content: 'Hello' }];
const describeError = (e: unknown) =>
  e instanceof ProblemError ? `${e.title} (${e.status}): ${e.detail}` : String(e);

describe('chatTurn', () => {
  it('posts the conversation and yields the events of the stream, split anywhere, skipping unknown ones', async () => {
    const sent: Sent[] = [];
    const api = clientAnswering(
      streamOf([
        'event: tool_call\ndata: {"id":"c1","name":"search","argu',
        'ments":{"q":"heater"}}\n\nevent: tool_result\ndata: {"id":"c1","name":"search","ok":true}\n\n',
        'event: thinking\ndata: {}\n\n: keep-alive\n\nevent: delta\ndata: {"content":"Three."}\n\n',
        'event: done\ndata: {"rounds":2,"proposals":[]}\n\n',
      ]),
      sent,
    );
    const events = await all(chatTurn(api, hello, new AbortController().signal));
    expect(sent).toEqual([
      { url: 'http://api.test/api/assistant/chat', body: { messages: hello }, accept: 'text/event-stream' },
    ]);
    expect(events).toEqual([
      { event: 'tool_call', data: { id: 'c1', name: 'search', arguments: { q: 'heater' } } },
      { event: 'tool_result', data: { id: 'c1', name: 'search', ok: true } },
      { event: 'delta', data: { content: 'Three.' } },
      { event: 'done', data: { rounds: 2, proposals: [] } },
    ]);
  });

  it('stops reading when the page aborts', async () => {
    const controller = new AbortController();
    const api = clientAnswering(streamOf(['event: delta\ndata: {"content":"Wait"}\n\n'], controller.signal));
    const seen: ChatEvent[] = [];
    await expect(
      (async () => {
        for await (const e of chatTurn(api, hello, controller.signal)) {
          seen.push(e);
          controller.abort();
        }
      })(),
    ).rejects.toThrow();
    expect(seen).toEqual([{ event: 'delta', data: { content: 'Wait' } }]);
  });

  it('throws the 503 without a model, which the page names as not configured', async () => {
    const api = clientAnswering(
      problem(503, {
        title: 'Service Unavailable',
        code: 'unavailable',
        retry: false,
        detail: 'no assistant model is configured: set ASSISTANT_URL and ASSISTANT_MODEL',
        missing: ['ASSISTANT_URL', 'ASSISTANT_MODEL'],
      }),
    );
    const error = await all(chatTurn(api, hello, new AbortController().signal)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProblemError);
    expect(chatFailure(error, describeError)).toBe(
      "The assistant is not configured: set ASSISTANT_URL and ASSISTANT_MODEL in the API's environment.",
    );
  });

  it("keeps the API's words for another 503 and for a 4xx", async () => {
    const down = clientAnswering(
      problem(503, {
        title: 'Service Unavailable',
        code: 'unavailable',
        detail: 'the database is unavailable',
      }),
    );
    const downError = await all(chatTurn(down, hello, new AbortController().signal)).catch((e: unknown) => e);
    expect(chatFailure(downError, describeError)).toBe(
      'The assistant is not available: the database is unavailable',
    );
    const bad = clientAnswering(
      problem(400, { title: 'Bad Request', code: 'validation_failed', detail: 'messages: too many' }),
    );
    const badError = await all(chatTurn(bad, hello, new AbortController().signal)).catch((e: unknown) => e);
    expect(chatFailure(badError, describeError)).toBe('Bad Request (400): messages: too many');
  });
});
