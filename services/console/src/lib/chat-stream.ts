import {
  type PricebookClient,
  ProblemError,
  readEvents,
  type ServerSentEvent,
  unwrap,
} from '@pricebook/client';
import type { ChatEvent, ChatMessage } from './chat';

const eventNames = new Set<string>([
  'delta',
  'tool_call',
  'tool_result',
  'proposal',
  'message',
  'done',
  'error',
]);

/** One server-sent event of the chat, its `data` read; undefined for an event this page does not know. */
export function toChatEvent(e: ServerSentEvent): ChatEvent | undefined {
  if (!eventNames.has(e.event)) return undefined;
  // The API writes each `data` as JSON of the event's shape (its ChatEvent); a later version may
  // add events, which are skipped above, or fields, which the page ignores.
  return { event: e.event, data: JSON.parse(e.data) } as ChatEvent;
}

/**
 * One turn of the chat (`POST /api/assistant/chat`) through the console's client (session
 * cookie, CSRF token, tenant), as the events of its stream. A refusal (503 without a model, 4xx)
 * throws the client's `ProblemError`; aborting `signal` ends the request and the stream.
 *
 * @example
 * for await (const e of chatTurn(api, [{ role: 'user', content: 'Which fittings have no cost?' }], signal)) dispatch({ type: 'event', event: e });
 */
export async function* chatTurn(
  client: PricebookClient,
  messages: ChatMessage[],
  signal: AbortSignal,
): AsyncGenerator<ChatEvent> {
  const body = unwrap(
    await client.POST('/api/assistant/chat', {
      body: { messages },
      headers: { accept: 'text/event-stream' },
      parseAs: 'stream',
      signal,
    }),
  );
  if (!body) throw new Error('the API sent an empty answer');
  for await (const e of readEvents(body)) {
    const event = toChatEvent(e);
    if (event) yield event;
  }
}

const modelSettings = ['ASSISTANT_URL', 'ASSISTANT_MODEL'];

/**
 * What the page says when a turn could not start: the API's 503 without a model names the
 * settings to set; any other refusal keeps the API's own words.
 *
 * @example
 * chatFailure(new ProblemError(503, { …, missing: ['ASSISTANT_URL', 'ASSISTANT_MODEL'] }));
 * // 'The assistant is not configured: set ASSISTANT_URL and ASSISTANT_MODEL in the API's environment.'
 */
export function chatFailure(error: unknown, describe: (error: unknown) => string): string {
  if (error instanceof ProblemError && error.status === 503) {
    const missing = error.problem?.missing;
    if (Array.isArray(missing) && modelSettings.every((s) => missing.includes(s))) {
      return "The assistant is not configured: set ASSISTANT_URL and ASSISTANT_MODEL in the API's environment.";
    }
    return `The assistant is not available: ${error.detail}`;
  }
  return describe(error);
}
