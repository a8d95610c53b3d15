import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';

/** One message the fake received, as the client sent it (OpenAI chat completions shape). */
export interface FakeChatMessage {
  role: string;
  content?: string | null;
  tool_call_id?: string;
  tool_calls?: Array<{ id: string; type: string; function: { name: string; arguments: string } }>;
}

/** One chat completions request the fake answered. */
export interface FakeChatRequest {
  model: string;
  stream: boolean;
  messages: FakeChatMessage[];
  /** The names of the tools offered. */
  tools: string[];
  authorization: string | undefined;
}

/**
 * What the fake answers to one request: text, or tool calls (with the text before them, if any).
 * A call's `arguments` as a string are sent as they are, to play a model that writes bad JSON.
 */
export interface FakeChatReply {
  content?: string;
  toolCalls?: Array<{ name: string; arguments: Record<string, unknown> | string }>;
}

/** A scripted reply, or one computed from the request (e.g. from the last tool result). */
export type FakeChatStep = FakeChatReply | ((request: FakeChatRequest) => FakeChatReply);

export interface FakeChatOptions {
  /** When set, requests without `Authorization: Bearer <apiKey>` get a 401. */
  apiKey?: string;
}

/** An OpenAI-compatible chat completions server for tests that plays a script, on 127.0.0.1. */
export interface FakeChat {
  /** The base URL (`…/v1`) to use as `ASSISTANT_URL`. */
  url: string;
  /** Every request answered, in order. */
  requests: FakeChatRequest[];
  /** Replaces the script: each request takes the next step; past the end the fake answers 500. */
  script(steps: FakeChatStep[]): void;
  close(): Promise<void>;
}

/**
 * The parsed result of the last `role: tool` message of a request, for steps that answer from it.
 *
 * @example
 * fake.script([{ toolCalls: [{ name: 'search', arguments: { q: 'heater' } }] }, (r) => ({ content: `${lastToolResult(r)}` })]);
 */
export function lastToolResult<T = unknown>(request: FakeChatRequest): T {
  const last = [...request.messages].reverse().find((m) => m.role === 'tool');
  if (!last || typeof last.content !== 'string') throw new Error('the request has no tool result');
  return JSON.parse(last.content) as T;
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString('utf8'));
}

const send = (res: ServerResponse, status: number, body: unknown) => {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
};

function toolCallsOf(reply: FakeChatReply, seq: number) {
  return (reply.toolCalls ?? []).map((call, index) => ({
    index,
    id: `call_${seq}_${index}`,
    type: 'function' as const,
    function: {
      name: call.name,
      arguments: typeof call.arguments === 'string' ? call.arguments : JSON.stringify(call.arguments),
    },
  }));
}

/** Streams `reply` as chat.completion.chunk events, text word by word and arguments in two fragments. */
function streamReply(res: ServerResponse, model: string, reply: FakeChatReply, seq: number): void {
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
  const base = { id: `chatcmpl-${seq}`, object: 'chat.completion.chunk', created: 0, model };
  const chunk = (delta: Record<string, unknown>, finish: string | null = null) =>
    res.write(
      `data: ${JSON.stringify({ ...base, choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`,
    );
  chunk({ role: 'assistant', content: '' });
  for (const word of (reply.content ?? '').split(/(?<= )/)) if (word) chunk({ content: word });
  for (const call of toolCallsOf(reply, seq)) {
    const half = Math.floor(call.function.arguments.length / 2);
    chunk({
      tool_calls: [
        {
          index: call.index,
          id: call.id,
          type: 'function',
          function: { name: call.function.name, arguments: call.function.arguments.slice(0, half) },
        },
      ],
    });
    chunk({
      tool_calls: [{ index: call.index, function: { arguments: call.function.arguments.slice(half) } }],
    });
  }
  chunk({}, reply.toolCalls?.length ? 'tool_calls' : 'stop');
  res.end('data: [DONE]\n\n');
}

/**
 * Starts an OpenAI-compatible `POST /v1/chat/completions` on a free port that answers each request
 * with the next step of its script, streamed (SSE chunks, tool-call arguments split across
 * chunks) or not, as the request asks.
 *
 * @example
 * const fake = await startFakeChat();
 * fake.script([{ toolCalls: [{ name: 'status', arguments: {} }] }, { content: 'All synced.' }]);
 * process.env.ASSISTANT_URL = fake.url; // http://127.0.0.1:PORT/v1
 */
export async function startFakeChat(options: FakeChatOptions = {}): Promise<FakeChat> {
  const requests: FakeChatRequest[] = [];
  let steps: FakeChatStep[] = [];
  const server: Server = createServer((req, res) => {
    void (async () => {
      if (req.method !== 'POST' || !req.url?.replace(/\?.*$/, '').endsWith('/chat/completions')) {
        send(res, 404, { error: { message: 'not found' } });
        return;
      }
      if (options.apiKey !== undefined && req.headers.authorization !== `Bearer ${options.apiKey}`) {
        // As some providers do, the refusal quotes the key it got: a test can see it is never logged.
        const got = req.headers.authorization?.replace(/^Bearer /, '') ?? '';
        send(res, 401, {
          error: { message: `Incorrect API key provided: ${got}`, type: 'invalid_request_error' },
        });
        return;
      }
      const body = (await readJson(req)) as {
        model?: unknown;
        stream?: unknown;
        messages?: unknown;
        tools?: Array<{ function?: { name?: string } }>;
      };
      if (typeof body.model !== 'string' || !Array.isArray(body.messages)) {
        send(res, 400, {
          error: { message: 'model and messages are required', type: 'invalid_request_error' },
        });
        return;
      }
      const request: FakeChatRequest = {
        model: body.model,
        stream: body.stream === true,
        messages: body.messages as FakeChatMessage[],
        tools: (body.tools ?? []).map((t) => t.function?.name ?? ''),
        authorization: req.headers.authorization,
      };
      requests.push(request);
      const step = steps[requests.length - 1];
      if (!step) {
        send(res, 500, { error: { message: `the script has no step ${requests.length}` } });
        return;
      }
      const reply = typeof step === 'function' ? step(request) : step;
      const seq = requests.length;
      if (request.stream) {
        streamReply(res, request.model, reply, seq);
        return;
      }
      const toolCalls = toolCallsOf(reply, seq).map(({ index: _index, ...call }) => call);
      send(res, 200, {
        id: `chatcmpl-${seq}`,
        object: 'chat.completion',
        created: 0,
        model: request.model,
        choices: [
          {
            index: 0,
            message: {
              role: 'assistant',
              content: reply.content ?? null,
              ...(toolCalls.length > 0 ? { tool_calls: toolCalls } : {}),
            },
            finish_reason: toolCalls.length > 0 ? 'tool_calls' : 'stop',
          },
        ],
        usage: { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 },
      });
    })().catch((err: unknown) => send(res, 400, { error: { message: String(err) } }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}/v1`,
    requests,
    script: (next) => {
      steps = next;
      requests.length = 0;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
