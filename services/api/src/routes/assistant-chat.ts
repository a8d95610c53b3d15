import { createRoute, z } from '@hono/zod-openapi';
import { ChatBody, ChatStreamEvent } from '@pricebook/contracts';
import { AppError } from '@pricebook/errors';
import { streamSSE } from 'hono/streaming';
import { chatTurn } from '../assistant/chat';
import { toolContext } from '../assistant/request-context';
import type { ApiApp, RouteDeps } from '../context';
import { registerSchema } from '../openapi/document';
import { problemResponses } from '../openapi/problems';
import { columnDimensionsOf } from '../queries/search';

const streamExample = [
  'event: tool_call',
  'data: {"id":"call_1","name":"search","arguments":{"q":"water heater install","entity":"services"}}',
  '',
  'event: tool_result',
  'data: {"id":"call_1","name":"search","ok":true}',
  '',
  'event: delta',
  'data: {"content":"There are 3 water heater installs."}',
  '',
  'event: message',
  'data: {"content":"There are 3 water heater installs."}',
  '',
  'event: done',
  'data: {"rounds":2,"proposals":[]}',
  '',
].join('\n');

/**
 * `POST /api/assistant/chat` (viewer): one turn of a conversation with the pricebook assistant,
 * streamed as server-sent events. 503 when no model is configured.
 *
 * @example
 * registerAssistantChat(app, deps);
 * // curl -N -H "Authorization: Bearer $KEY" -d '{"messages":[{"role":"user","content":"…"}]}' $API/api/assistant/chat
 */
export function registerAssistantChat(app: ApiApp, deps: RouteDeps): void {
  registerSchema(app, 'ChatStreamEvent', ChatStreamEvent);
  const columnDimensions = columnDimensionsOf(() => deps.orm.em.fork());
  const route = createRoute({
    method: 'post',
    path: '/api/assistant/chat',
    tags: ['Assistant'],
    summary: 'Chat with the pricebook assistant (server-sent events)',
    description:
      'Sends the conversation (the client keeps it) to the configured model (`ASSISTANT_URL`, `ASSISTANT_MODEL`) ' +
      'with the read tools `search`, `get_item`, `list_conflicts`, `status` and `propose_changes`, which only ' +
      'stores a proposal. Streams `delta` (text as it comes), `tool_call` and `tool_result` (every call, with its ' +
      'arguments), `proposal` (a stored proposal and its plan), then `message` and `done`, or `error`. Nothing ' +
      'is written to the pricebook: an operator confirms a proposal with `POST /api/assistant/proposals/{id}/confirm`. ' +
      'Without a configured model, or when it fails before its first answer: 503 naming it. Role: viewer.',
    security: [{ bearerAuth: [] }],
    middleware: [deps.guard('viewer')] as const,
    request: { body: { required: true, content: { 'application/json': { schema: ChatBody } } } },
    responses: {
      200: {
        description:
          'The event stream; each event is a `ChatStreamEvent` (its `event` name and its `data` as JSON)',
        content: { 'text/event-stream': { schema: z.string().openapi({ example: streamExample }) } },
      },
      ...problemResponses(400, 401, 403, 404, 409, 500, 503),
    },
  });
  app.openapi(route, async (c) => {
    const settings = deps.config.assistant?.model;
    if (!settings) {
      throw new AppError(
        'unavailable',
        'no assistant model is configured: set ASSISTANT_URL and ASSISTANT_MODEL',
        // A setting, not an outage: asking again changes nothing until an operator sets it.
        { details: { missing: ['ASSISTANT_URL', 'ASSISTANT_MODEL'] }, retry: false },
      );
    }
    const { messages } = c.req.valid('json');
    const ctx = toolContext(deps, c, columnDimensions);
    const gone = new AbortController();
    c.req.raw.signal.addEventListener('abort', () => gone.abort(), { once: true });
    const turn = chatTurn(settings, ctx, messages, gone.signal);
    // The model's first answer decides the response: a model that is down before anything was
    // streamed is a 503 problem naming it; once the stream is open, failures are `error` events.
    const first = await turn.next();
    if (!first.done && first.value.event === 'error') {
      throw new AppError('unavailable', first.value.data.detail, {
        details: { provider: 'assistant', model: settings.model, reason: first.value.data.code },
      });
    }
    c.header('X-Accel-Buffering', 'no');
    return streamSSE(c, async (stream) => {
      stream.onAbort(() => gone.abort());
      try {
        if (!first.done)
          await stream.writeSSE({ event: first.value.event, data: JSON.stringify(first.value.data) });
        for await (const e of turn) {
          await stream.writeSSE({ event: e.event, data: JSON.stringify(e.data) });
        }
      } catch (err) {
        ctx.log.error({ err }, 'assistant chat failed');
        await stream.writeSSE({
          event: 'error',
          data: JSON.stringify({ code: 'internal', detail: 'the chat failed; try again' }),
        });
      }
    });
  });
}
