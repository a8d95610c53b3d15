import type { components } from '@pricebook/client';

/** A stored proposal, as `GET /api/assistant/proposals/{id}` shows it. */
export type Proposal = components['schemas']['Proposal'];
/** One message of the conversation the page keeps and sends with each turn. */
export type ChatMessage = components['schemas']['ChatBody']['messages'][number];

/** What `POST /api/assistant/chat` streams, one server-sent event each (the API's `ChatStreamEvent`). */
export type ChatEvent = components['schemas']['ChatStreamEvent'];

/** One line of the conversation as the page shows it. */
export type ChatEntry =
  | { kind: 'user'; content: string }
  | { kind: 'assistant'; content: string }
  | {
      kind: 'tool';
      id: string;
      name: string;
      arguments: unknown;
      /** Unset while the tool runs. */
      result?: { ok: boolean; error?: string };
    }
  | { kind: 'proposal'; proposal: Proposal }
  | { kind: 'error'; detail: string };

export interface ChatState {
  entries: ChatEntry[];
  /** A turn is being streamed: the input waits. */
  streaming: boolean;
}

export type ChatAction =
  | { type: 'send'; content: string }
  | { type: 'event'; event: ChatEvent }
  /** The request failed or the stream broke off before `done`. */
  | { type: 'failed'; detail: string }
  /** The API refused the turn before answering: the person's message is taken back. */
  | { type: 'refused' }
  /** The person stopped the answer. */
  | { type: 'stopped' }
  | { type: 'reset' };

export const emptyChat: ChatState = { entries: [], streaming: false };

/** The API takes at most this many messages per turn; older ones are left out. */
export const maxMessages = 50;

function withLastAssistant(entries: ChatEntry[], update: (content: string) => string): ChatEntry[] {
  const last = entries.at(-1);
  if (last?.kind === 'assistant')
    return [...entries.slice(0, -1), { ...last, content: update(last.content) }];
  return [...entries, { kind: 'assistant', content: update('') }];
}

function applyEvent(state: ChatState, e: ChatEvent): ChatState {
  switch (e.event) {
    case 'delta':
      return { ...state, entries: withLastAssistant(state.entries, (c) => c + e.data.content) };
    case 'tool_call':
      return {
        ...state,
        entries: [
          ...state.entries,
          { kind: 'tool', id: e.data.id, name: e.data.name, arguments: e.data.arguments },
        ],
      };
    case 'tool_result': {
      const result = e.data.error === undefined ? { ok: e.data.ok } : { ok: e.data.ok, error: e.data.error };
      const called = state.entries.some((x) => x.kind === 'tool' && x.id === e.data.id);
      // A call refused before it ran (an unknown tool, arguments that are not JSON) has no
      // tool_call event: its line comes with its refusal.
      if (!called) {
        return {
          ...state,
          entries: [
            ...state.entries,
            { kind: 'tool', id: e.data.id, name: e.data.name, arguments: null, result },
          ],
        };
      }
      return {
        ...state,
        entries: state.entries.map((x) => (x.kind === 'tool' && x.id === e.data.id ? { ...x, result } : x)),
      };
    }
    case 'proposal':
      return { ...state, entries: [...state.entries, { kind: 'proposal', proposal: e.data }] };
    case 'message': {
      // The whole answer of the last round: it replaces that round's deltas (the same text, unless
      // the model sent it without streaming).
      const last = state.entries.at(-1);
      if (last?.kind !== 'assistant' && e.data.content === '') return state;
      return { ...state, entries: withLastAssistant(state.entries, () => e.data.content) };
    }
    case 'done':
      return { ...state, streaming: false };
    case 'error':
      return {
        entries: [...state.entries, { kind: 'error', detail: e.data.detail }],
        streaming: false,
      };
  }
}

/**
 * The conversation after one thing happened: the person sent a message, the stream delivered an
 * event, or the turn ended early. Pure, so the page's state is a `useReducer` of it.
 *
 * @example
 * const [chat, dispatch] = useReducer(chatReducer, emptyChat);
 * dispatch({ type: 'event', event: { event: 'delta', data: { content: 'There are ' } } });
 */
export function chatReducer(state: ChatState, action: ChatAction): ChatState {
  switch (action.type) {
    case 'send':
      return { entries: [...state.entries, { kind: 'user', content: action.content }], streaming: true };
    case 'event':
      return applyEvent(state, action.event);
    case 'failed':
      return { entries: [...state.entries, { kind: 'error', detail: action.detail }], streaming: false };
    case 'refused': {
      const last = state.entries.at(-1);
      return {
        entries: last?.kind === 'user' ? state.entries.slice(0, -1) : state.entries,
        streaming: false,
      };
    }
    case 'stopped':
      return state.streaming
        ? {
            entries: [...state.entries, { kind: 'error', detail: 'Stopped: the answer was not finished.' }],
            streaming: false,
          }
        : state;
    case 'reset':
      return emptyChat;
  }
}

/**
 * The messages to send with the next turn: each person's message, and the assistant's text of
 * each turn as one message (the text before and after its tool calls). Tool calls, proposals and
 * errors stay in the page; the model reads the proposal's id from its own answer. The newest
 * {@link maxMessages} only.
 *
 * @example
 * messagesOf(chat.entries); // [{ role: 'user', content: '…' }, { role: 'assistant', content: '…' }]
 */
export function messagesOf(entries: readonly ChatEntry[]): ChatMessage[] {
  const messages: ChatMessage[] = [];
  for (const entry of entries) {
    if (entry.kind === 'user') messages.push({ role: 'user', content: entry.content });
    if (entry.kind !== 'assistant' || entry.content.trim() === '') continue;
    const last = messages.at(-1);
    if (last?.role === 'assistant') last.content = `${last.content}\n\n${entry.content}`;
    else messages.push({ role: 'assistant', content: entry.content });
  }
  return messages.slice(-maxMessages);
}
