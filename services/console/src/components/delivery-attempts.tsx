import type { components } from '@pricebook/client';
import { useEffect, useRef, useState } from 'react';
import { api, unwrap } from '../api';
import { useLoad } from '../lib/use-load';
import { Badge, ErrorNote, Loading, Section, When } from './bits';

type Delivery = components['schemas']['WebhookDelivery'];

const outcomeTone = { succeeded: 'good', gone: 'bad', failed: 'bad', refused_url: 'bad' } as const;

/**
 * The attempts of one delivery, newest first, a page at a time: when, outcome, HTTP status, how
 * long it took, the Retry-After honoured, the error and the start of the response body. Focus moves
 * to its heading when it opens, so a keyboard or screen-reader user lands on what they asked for.
 *
 * @example
 * <DeliveryAttempts key={d.id} webhookId={id} delivery={d} onClose={() => setOpened(undefined)} />
 */
export function DeliveryAttempts(props: { webhookId: string; delivery: Delivery; onClose: () => void }) {
  const { webhookId, delivery } = props;
  const [cursors, setCursors] = useState<string[]>([]);
  const heading = useRef<HTMLDivElement>(null);
  const cursor = cursors.at(-1);
  const loaded = useLoad(
    () =>
      api
        .GET('/api/webhooks/{id}/deliveries/{deliveryId}/attempts', {
          params: { path: { id: webhookId, deliveryId: delivery.id }, query: cursor ? { cursor } : {} },
        })
        .then(unwrap),
    [webhookId, delivery.id, cursor],
  );

  // The page mounts one per delivery (keyed by its id): focus it once, when it opens.
  useEffect(() => {
    heading.current?.focus();
  }, []);

  const attempts = loaded.data?.attempts;
  const next = loaded.data?.page.nextCursor;
  return (
    <div ref={heading} tabIndex={-1} data-testid="delivery-attempts">
      <Section
        title={`Attempts of ${delivery.eventType} (${delivery.eventId})`}
        actions={
          <div className="actions">
            {cursors.length > 0 && (
              <button type="button" onClick={() => setCursors([])}>
                Newest
              </button>
            )}
            {next && (
              <button type="button" onClick={() => setCursors([...cursors, next])}>
                Older attempts
              </button>
            )}
            <button type="button" onClick={props.onClose}>
              Close
            </button>
          </div>
        }
      >
        <ErrorNote error={loaded.error} />
        <Loading when={loaded.loading && !loaded.data} />
        {attempts && attempts.length === 0 && <p>No attempts yet.</p>}
        {attempts && attempts.length > 0 && (
          <div className="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">#</th>
                  <th scope="col">When</th>
                  <th scope="col">Outcome</th>
                  <th scope="col">Response</th>
                  <th scope="col">Took</th>
                  <th scope="col">Retry-After</th>
                  <th scope="col">Error and response body</th>
                </tr>
              </thead>
              <tbody>
                {attempts.map((a) => (
                  <tr key={a.id}>
                    <td>{a.attempt}</td>
                    <td>
                      <When at={a.attemptedAt} />
                    </td>
                    <td>
                      <Badge value={a.outcome} tone={outcomeTone[a.outcome]} />
                    </td>
                    <td>{a.statusCode === null ? '—' : `HTTP ${a.statusCode}`}</td>
                    <td>{a.durationMs} ms</td>
                    <td>{a.retryAfterMs === null ? '—' : `${Math.round(a.retryAfterMs / 1_000)} s`}</td>
                    <td>
                      {a.error ?? '—'}
                      {a.responseExcerpt && (
                        <div className="hint">
                          <code>{a.responseExcerpt}</code>
                        </div>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Section>
    </div>
  );
}
