import { type FormEvent, useState } from 'react';
import { useLocation } from 'wouter';
import { api, unwrap } from '../api';
import { ErrorNote, Loading, When } from '../components/bits';
import { useQueryParams, withQuery } from '../lib/query';
import { reportError, useLoad } from '../lib/use-load';
import { useCan } from '../session';

/** Messages the engine refused (dead letters), why, and publishing one again once its cause is fixed. */
export function RejectionsPage() {
  const params = useQueryParams();
  const [, navigate] = useLocation();
  const stream = params.get('stream') ?? undefined;
  const subject = params.get('subject') ?? undefined;
  const cursor = params.get('cursor') ?? undefined;
  const { data, error, loading, reload } = useLoad(
    () =>
      api
        .GET('/api/sync/pricebook/rejections', { params: { query: { stream, subject, cursor, limit: 50 } } })
        .then(unwrap),
    [stream, subject, cursor],
  );
  const canRedrive = useCan('operator');
  const [streamText, setStreamText] = useState(stream ?? '');
  const [subjectText, setSubjectText] = useState(subject ?? '');
  const [notes, setNotes] = useState<Record<string, string>>({});

  function submit(event: FormEvent) {
    event.preventDefault();
    navigate(
      withQuery('/rejections', {
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

  return (
    <>
      <h1>Rejections and dead letters</h1>
      <p className="hint">
        Messages the engine terminated instead of applying (an inbound edit that failed validation, a command
        it could not read), with the reason. Redrive publishes one again once its cause is fixed; a message
        that is still bad is refused again.
      </p>
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
      {data && data.rejections.length === 0 && <p>No rejected message.</p>}
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
                {canRedrive && <th scope="col">Action</th>}
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
                  <td>{r.reason}</td>
                  <td className="num">{r.deliveryCount}</td>
                  <td>
                    <details>
                      <summary>payload</summary>
                      <pre>{r.payload}</pre>
                    </details>
                  </td>
                  {canRedrive && (
                    <td>
                      <button type="button" onClick={() => void redrive(r.id)}>
                        Redrive
                      </button>
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
                withQuery('/rejections', { stream, subject, cursor: data.page.nextCursor ?? undefined }),
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
