import { type FormEvent, useEffect, useReducer, useRef, useState } from 'react';
import { Link } from 'wouter';
import { api } from '../api';
import { ErrorNote } from '../components/bits';
import { ProposalCard, proposalAnchor } from '../components/proposal-card';
import { type ChatEntry, chatReducer, emptyChat, messagesOf } from '../lib/chat';
import { chatFailure, chatTurn } from '../lib/chat-stream';
import { reportError } from '../lib/use-load';

/** Arguments on one line, cut: the whole of them is one click away. */
function compact(value: unknown): string {
  const text = JSON.stringify(value) ?? '';
  return text.length > 120 ? `${text.slice(0, 119)}…` : text;
}

function ToolLine(props: { entry: Extract<ChatEntry, { kind: 'tool' }> }) {
  const { name, result } = props.entry;
  // null: the call was refused before its arguments could be read.
  const args = props.entry.arguments;
  const outcome = !result ? 'running…' : result.ok ? 'done' : 'refused';
  return (
    <details className="chat-tool">
      <summary>
        <span className="tag">tool</span> <code>{name}</code>{' '}
        {args !== null && <code className="args">{compact(args)}</code>}{' '}
        <span className={result && !result.ok ? 'error-text' : 'hint'}>{outcome}</span>
      </summary>
      {args !== null && <pre>{JSON.stringify(args, null, 2)}</pre>}
      {result && (
        <p>
          {result.ok
            ? 'The tool answered; the assistant read its result.'
            : `Refused: ${result.error ?? 'no reason given'}`}
        </p>
      )}
    </details>
  );
}

function Entry(props: { entry: ChatEntry }) {
  const e = props.entry;
  switch (e.kind) {
    case 'user':
      return (
        <div className="chat-message you">
          <strong>You</strong>
          <p>{e.content}</p>
        </div>
      );
    case 'assistant':
      return (
        <div className="chat-message">
          <strong>Assistant</strong>
          <p>{e.content}</p>
        </div>
      );
    case 'tool':
      return <ToolLine entry={e} />;
    case 'proposal':
      return (
        <ProposalCard proposal={e.proposal}>
          <p>
            <Link href={`/proposals?status=proposed#${proposalAnchor(e.proposal.id)}`}>
              Review proposal {e.proposal.id.slice(0, 8)} on the Proposals page
            </Link>{' '}
            <span className="hint">(an operator confirms or rejects it there)</span>
          </p>
        </ProposalCard>
      );
    case 'error':
      return <p className="error">{e.detail}</p>;
  }
}

/**
 * A conversation with the pricebook assistant: the answer streams in as it is written, each tool
 * it calls shows as a line, and a proposal it drafts shows with its plan and a link to the
 * Proposals page, where an operator confirms it. The page keeps the conversation (the API keeps
 * none) and sends it with each message.
 */
export function AssistantPage() {
  const [chat, dispatch] = useReducer(chatReducer, emptyChat);
  const [draft, setDraft] = useState('');
  const [refusal, setRefusal] = useState<string>();
  const running = useRef<AbortController | null>(null);
  const input = useRef<HTMLFormElement>(null);

  // Leaving the page ends the answer being streamed: the API stops asking the model.
  useEffect(() => () => running.current?.abort(), []);
  // The conversation grows above the input: keep the input (and the newest words) in view.
  useEffect(() => {
    if (chat.entries.length > 0) input.current?.scrollIntoView({ block: 'nearest' });
  }, [chat.entries]);

  async function send(event: FormEvent) {
    event.preventDefault();
    const content = draft.trim();
    if (content === '' || chat.streaming) return;
    const messages = messagesOf([...chat.entries, { kind: 'user', content }]);
    const controller = new AbortController();
    running.current = controller;
    setRefusal(undefined);
    setDraft('');
    dispatch({ type: 'send', content });
    let started = false;
    let ended = false;
    try {
      for await (const e of chatTurn(api, messages, controller.signal)) {
        started = true;
        dispatch({ type: 'event', event: e });
        ended ||= e.event === 'done' || e.event === 'error';
      }
      if (!ended) dispatch({ type: 'failed', detail: 'The answer broke off before its end; ask again.' });
    } catch (error) {
      // Stopped, a new conversation, or the page left: nothing more to show.
      if (controller.signal.aborted) return;
      const detail = chatFailure(error, reportError);
      if (started) {
        dispatch({ type: 'failed', detail });
        return;
      }
      // Refused before any answer (no model, a bad message): the message goes back to the input.
      dispatch({ type: 'refused' });
      setDraft(content);
      setRefusal(detail);
    } finally {
      if (running.current === controller) running.current = null;
    }
  }

  function stop() {
    running.current?.abort();
    dispatch({ type: 'stopped' });
  }

  function restart() {
    running.current?.abort();
    dispatch({ type: 'reset' });
    setRefusal(undefined);
    setDraft('');
  }

  return (
    <>
      <h1>Assistant</h1>
      <p className="hint">
        Ask about the pricebook, or ask for a change. The assistant reads the pricebook through its tools and
        never writes: a change becomes a proposal that an operator confirms on the Proposals page.
      </p>
      <ErrorNote error={refusal} />
      <div className="chat-log" role="log" aria-label="Conversation" aria-busy={chat.streaming}>
        {chat.entries.length === 0 ? (
          <p className="hint">
            For example: “Which copper fittings have no cost?” or “Raise all water heater installs by 4%”.
          </p>
        ) : (
          chat.entries.map((entry, index) => (
            // Entries are only ever appended, or all cleared: the index is stable.
            // biome-ignore lint/suspicious/noArrayIndexKey: see above
            <Entry key={index} entry={entry} />
          ))
        )}
        {chat.streaming && (
          <p className="hint" role="status">
            The assistant is answering…
          </p>
        )}
      </div>
      <form ref={input} className="chat-input" onSubmit={(e) => void send(e)}>
        <label>
          Message
          <textarea
            value={draft}
            rows={3}
            onChange={(e) => setDraft(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === 'Enter' && !e.shiftKey) {
                e.preventDefault();
                e.currentTarget.form?.requestSubmit();
              }
            }}
          />
        </label>
        <div className="actions">
          <button type="submit" className="primary" disabled={chat.streaming || draft.trim() === ''}>
            Send
          </button>
          {chat.streaming && (
            <button type="button" onClick={stop}>
              Stop
            </button>
          )}
          <button type="button" onClick={restart} disabled={chat.entries.length === 0 && !refusal}>
            New conversation
          </button>
        </div>
      </form>
    </>
  );
}
