import { describe, expect, it } from 'vitest';
import {
  type ChatAction,
  type ChatEvent,
  type ChatState,
  chatReducer,
  emptyChat,
  messagesOf,
  type Proposal,
} from './chat';

const proposal: Proposal = {
  id: '7c1d2e3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f',
  entity: 'services',
  summary: 'Raise water heater installs by 4%',
  status: 'proposed',
  createdBy: 'viewer:test',
  createdAt: '2026-12-06T09:30:00.000Z',
  expiresAt: '2026-12-07T09:30:00.000Z',
  decidedBy: null,
  decidedAt: null,
  changeSetId: null,
  plan: { items: 1, unchanged: 0, priceChanges: 1, largestRelativeChange: 0.04 },
  items: [],
  toolCalls: [],
};

const run = (actions: ChatAction[], from: ChatState = emptyChat) => actions.reduce(chatReducer, from);
const ev = (event: ChatEvent): ChatAction => ({ type: 'event', event });

describe('chatReducer', () => {
  it('streams a turn: text before and after tool calls, each tool line with its outcome, the proposal', () => {
    const state = run([
      { type: 'send', content: 'Raise water heaters by 4%' },
      ev({ event: 'delta', data: { content: 'Let me ' } }),
      ev({ event: 'delta', data: { content: 'look.' } }),
      ev({ event: 'tool_call', data: { id: 'c1', name: 'search', arguments: { q: 'water heater' } } }),
      ev({ event: 'tool_result', data: { id: 'c1', name: 'search', ok: true } }),
      ev({ event: 'tool_call', data: { id: 'c2', name: 'get_item', arguments: { id: 'st:9' } } }),
      ev({ event: 'tool_result', data: { id: 'c2', name: 'get_item', ok: false, error: 'no record st:9' } }),
      ev({ event: 'proposal', data: proposal }),
      ev({ event: 'delta', data: { content: 'Drafted ' } }),
      ev({ event: 'delta', data: { content: 'it.' } }),
    ]);
    expect(state.streaming).toBe(true);
    expect(state.entries).toEqual([
      { kind: 'user', content: 'Raise water heaters by 4%' },
      { kind: 'assistant', content: 'Let me look.' },
      { kind: 'tool', id: 'c1', name: 'search', arguments: { q: 'water heater' }, result: { ok: true } },
      {
        kind: 'tool',
        id: 'c2',
        name: 'get_item',
        arguments: { id: 'st:9' },
        result: { ok: false, error: 'no record st:9' },
      },
      { kind: 'proposal', proposal },
      { kind: 'assistant', content: 'Drafted it.' },
    ]);
    const done = run(
      [
        ev({ event: 'message', data: { content: 'Drafted it.' } }),
        ev({ event: 'done', data: { rounds: 3, proposals: [proposal.id] } }),
      ],
      state,
    );
    expect(done.streaming).toBe(false);
    expect(done.entries.at(-1)).toEqual({ kind: 'assistant', content: 'Drafted it.' });
    expect(done.entries).toHaveLength(6);
  });

  it('shows a call refused before it ran, which has no tool_call event', () => {
    const state = run([
      { type: 'send', content: 'Hi' },
      ev({
        event: 'tool_result',
        data: { id: 'c1', name: 'delete_all', ok: false, error: 'no tool delete_all' },
      }),
    ]);
    expect(state.entries.at(-1)).toEqual({
      kind: 'tool',
      id: 'c1',
      name: 'delete_all',
      arguments: null,
      result: { ok: false, error: 'no tool delete_all' },
    });
  });

  it('shows a whole answer that came without deltas, and ignores an empty one', () => {
    const state = run([
      { type: 'send', content: 'Status?' },
      ev({ event: 'tool_call', data: { id: 'c1', name: 'status', arguments: {} } }),
      ev({ event: 'message', data: { content: 'All synced.' } }),
    ]);
    expect(state.entries.at(-1)).toEqual({ kind: 'assistant', content: 'All synced.' });
    const silent = run([{ type: 'send', content: 'Hi' }, ev({ event: 'message', data: { content: '' } })]);
    expect(silent.entries).toEqual([{ kind: 'user', content: 'Hi' }]);
  });

  it('ends the turn on an error event, a failure or a stop, and says why', () => {
    const errored = run([
      { type: 'send', content: 'Hi' },
      ev({
        event: 'error',
        data: { code: 'upstream_unavailable', detail: 'the assistant model did not answer' },
      }),
    ]);
    expect(errored).toEqual({
      entries: [
        { kind: 'user', content: 'Hi' },
        { kind: 'error', detail: 'the assistant model did not answer' },
      ],
      streaming: false,
    });
    const stopped = run([{ type: 'send', content: 'Hi' }, { type: 'stopped' }]);
    expect(stopped.streaming).toBe(false);
    expect(stopped.entries.at(-1)).toMatchObject({
      kind: 'error',
      detail: expect.stringContaining('Stopped'),
    });
    // A stop after the end changes nothing.
    expect(run([{ type: 'stopped' }], errored)).toBe(errored);
  });

  it('takes the message back when the API refused the turn, and clears everything for a new conversation', () => {
    const before = run([
      { type: 'send', content: 'Hi' },
      ev({ event: 'message', data: { content: 'Hello.' } }),
      ev({ event: 'done', data: { rounds: 1, proposals: [] } }),
    ]);
    const refused = run([{ type: 'send', content: 'Again' }, { type: 'refused' }], before);
    expect(refused).toEqual(before);
    expect(run([{ type: 'reset' }], refused)).toEqual(emptyChat);
  });
});

describe('messagesOf', () => {
  it("sends each person's message and each turn's text as one assistant message, nothing else", () => {
    const state = run([
      { type: 'send', content: 'Raise water heaters by 4%' },
      ev({ event: 'delta', data: { content: 'Let me look.' } }),
      ev({ event: 'tool_call', data: { id: 'c1', name: 'search', arguments: {} } }),
      ev({ event: 'proposal', data: proposal }),
      ev({ event: 'message', data: { content: 'Drafted 7c1d2e3f.' } }),
      ev({ event: 'done', data: { rounds: 2, proposals: [proposal.id] } }),
      { type: 'send', content: 'And the 80 gal one?' },
      { type: 'failed', detail: 'The answer broke off' },
    ]);
    expect(messagesOf(state.entries)).toEqual([
      { role: 'user', content: 'Raise water heaters by 4%' },
      { role: 'assistant', content: 'Let me look.\n\nDrafted 7c1d2e3f.' },
      { role: 'user', content: 'And the 80 gal one?' },
    ]);
  });

  it('sends the newest 50 messages at most', () => {
    const actions: ChatAction[] = [];
    for (let i = 0; i < 30; i++) {
      actions.push({ type: 'send', content: `q${i}` }, ev({ event: 'message', data: { content: `a${i}` } }));
    }
    const messages = messagesOf(run(actions).entries);
    expect(messages).toHaveLength(50);
    expect(messages[0]).toEqual({ role: 'user', content: 'q5' });
    expect(messages.at(-1)).toEqual({ role: 'assistant', content: 'a29' });
  });
});
