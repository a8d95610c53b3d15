import { type FormEvent, useState } from 'react';
import { useLocation } from 'wouter';
import { api, unwrap } from '../api';
import { ErrorNote, Loading, When } from '../components/bits';
import { oneOf, useQueryParams, withQuery } from '../lib/query';
import { discardReasonProblem, rejectionStatuses } from '../lib/rejections';
import { reportError, useLoad } from '../lib/use-load';
import { useCan } from '../session';

/**
 * Messages the engine refused (dead letters), why, and an operator's answer to one: publishing it
 * again once its cause is fixed, or discarding it on purpose with a reason.
 */
export function RejectionsPage() {
  const params = useQueryParams();
  const [, navigate] = useLocation();
  const status = oneOf(params.get('status'), rejectionStatuses) ?? 'open';
  const stream = params.get('stream') ?? undefined;
  const subject = params.get('subject') ?? undefined;
  const cursor = params.get('cursor') ?? undefined;
  const { data, error, loading, reload } = useLoad(
    () =>
      api
        .GET('/api/sync/pricebook/rejections', {
          params: { query: { status, stream, subject, cursor, limit: 50 } },
        })
        .then(unwrap),
    [status, stream, subject, cursor],
  );
  const canAct = useCan('operator');
  const [streamText, setStreamText] = useState(stream ?? '');
  const [subjectText, setSubjectText] = useState(subject ?? '');
  const [notes, setNotes] = useState<Record<string, string>>({});
  // The row whose discard reason is being typed, and the reason so far.
  const [discarding, setDiscarding] = useState<string | null>(null);
  const [reasonText, setReasonText] = useState('');
  const [reasonProblem, setReasonProblem] = useState<string | undefined>();
  const statusParam = status === 'open' ? undefined : status;

  function submit(event: FormEvent) {
    event.preventDefault();
    navigate(
      withQuery('/rejections', {
        status: statusParam,
        stream: streamText.trim() || undefined,
        subject: subjectText.trim() || undefined,
      }),
    );
  }

  async function redrive(id: string) {
    try {
      const result = unwrap(
        await api.POST('/api/sync/pricebook/rejections/{id}/redrive', { params: { path: { id } } }),
      );
      setNotes((n) => ({ ...n, [id]: `Published again to ${result.redriven.subject}.` }));
      reload();
    } catch (e) {
      setNotes((n) => ({ ...n, [id]: reportError(e) }));
    }
  }

  function startDiscard(id: string) {
    setDiscarding(id);
    setReasonText('');
    setReasonProblem(undefined);
  }

  async function discard(event: FormEvent, id: string) {
    event.preventDefault();
    const problem = discardReasonProblem(reasonText);
    setReasonProblem(problem);
    if (problem) return;
    try {
      const result = unwrap(
        await api.POST('/api/sync/pricebook/rejections/{id}/discard', {
          params: { path: { id } },
          body: { reason: reasonText.trim() },
        }),
      );
      setNotes((n) => ({ ...n, [id]: `Discarded: ${result.rejection.discardReason ?? ''}` }));
      setDiscarding(null);
      reload();
    } catch (e) {
      setNotes((n) => ({ ...n, [id]: reportError(e) }));
    }
  }

  return (
    <>
      <h1>Rejections and dead letters</h1>
      <p className="hint">
        Messages the engine terminated instead of applying (an inbound edit that failed validation, a command
        it could not read), with the reason. Redrive publishes one again once its cause is fixed; a message
        that is still bad is refused again. Discard drops one nobody will redrive (a test message, a payload
        that is simply wrong), with a reason: it leaves this list but stays under Discarded until retention.
      </p>
      <fieldset className="filters">
        <legend>Status</legend>
        {rejectionStatuses.map((s) => (
          <button
            key={s}
            type="button"
            aria-pressed={s === status}
            onClick={() =>
              navigate(withQuery('/rejections', { status: s === 'open' ? undefined : s, stream, subject }))
            }
          >
            {s}
          </button>
        ))}
      </fieldset>
      <form className="filters" onSubmit={submit} aria-label="Filter">
        <label>
          Stream
          <input
            value={streamText}
            onChange={(e) => setStreamText(e.target.value)}
            placeholder="PRICEBOOK_INBOUND"
          />
        </label>
        <label>
          Subject
          <input
            value={subjectText}
            onChange={(e) => setSubjectText(e.target.value)}
            placeholder="pricebook.inbound.>"
            size={30}
          />
        </label>
        <button type="submit">Filter</button>
      </form>
      <ErrorNote error={error} />
      <Loading when={loading && !data} />
      {Object.entries(notes).length > 0 && (
        <ul className="plain" aria-live="polite">
          {Object.entries(notes).map(([id, note]) => (
            <li key={id}>
              {id.slice(0, 8)}: {note}
            </li>
          ))}
        </ul>
      )}
      {data && data.rejections.length === 0 && (
        <p>{status === 'discarded' ? 'No discarded message.' : 'No rejected message.'}</p>
      )}
      {data && data.rejections.length > 0 && (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Subject</th>
                <th scope="col">Reason</th>
                <th scope="col" className="num">
                  Deliveries
                </th>
                <th scope="col">Message</th>
                {canAct && <th scope="col">Action</th>}
              </tr>
            </thead>
            <tbody>
              {data.rejections.map((r) => (
                <tr key={r.id}>
                  <td>
                    <When at={r.createdAt} />
                  </td>
                  <td>
                    <code>{r.subject}</code>
                    <br />
                    <span className="hint">
                      {r.stream} / {r.consumer}
                    </span>
                  </td>
                  <td>
                    {r.reason}
                    {r.status === 'discarded' && (
                      <div className="hint" data-testid="discarded">
                        Discarded by {r.discardedBy} <When at={r.discardedAt} />: {r.discardReason}
                      </div>
                    )}
                  </td>
                  <td className="num">{r.deliveryCount}</td>
                  <td>
                    <details>
                      <summary>payload</summary>
                      <pre>{r.payload}</pre>
                    </details>
                  </td>
                  {canAct && (
                    <td>
                      {r.status === 'open' && discarding !== r.id && (
                        <span className="actions">
                          <button type="button" onClick={() => void redrive(r.id)}>
                            Redrive
                          </button>
                          <button type="button" onClick={() => startDiscard(r.id)}>
                            Discard
                          </button>
                        </span>
                      )}
                      {discarding === r.id && (
                        <form onSubmit={(e) => void discard(e, r.id)} aria-label="Discard">
                          <label>
                            Reason
                            <input
                              value={reasonText}
                              onChange={(e) => setReasonText(e.target.value)}
                              placeholder="test message sent by hand"
                              aria-invalid={reasonProblem !== undefined}
                              // biome-ignore lint/a11y/noAutofocus: the reason is what the click asked for
                              autoFocus
                            />
                          </label>
                          {reasonProblem && <div className="error-text">{reasonProblem}</div>}
                          <span className="actions">
                            <button type="submit">Discard</button>
                            <button type="button" onClick={() => setDiscarding(null)}>
                              Cancel
                            </button>
                          </span>
                        </form>
                      )}
                    </td>
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {data?.page.nextCursor && (
        <p>
          <button
            type="button"
            onClick={() =>
              navigate(
                withQuery('/rejections', {
                  status: statusParam,
                  stream,
                  subject,
                  cursor: data.page.nextCursor ?? undefined,
                }),
              )
            }
          >
            Next page
          </button>
        </p>
      )}
    </>
  );
}
