import type { components } from '@pricebook/client';
import { type FormEvent, useState } from 'react';
import { Link, useLocation, useParams } from 'wouter';
import { api, unwrap } from '../api';
import { Badge, ErrorNote, FilterSelect, Loading, Section, When } from '../components/bits';
import { DeliveryAttempts } from '../components/delivery-attempts';
import { webhookDeliveryStatuses } from '../lib/domain';
import { reportError, useLoad } from '../lib/use-load';

type Delivery = components['schemas']['WebhookDelivery'];
type DeliveryStatus = (typeof webhookDeliveryStatuses)[number];

const deliveryTone = { pending: 'warn', succeeded: 'good', failed: 'bad' } as const;

/** `datetime-local` text (the browser's zone) as an ISO instant, or undefined when empty. */
const instant = (local: string) => (local ? new Date(local).toISOString() : undefined);

function ReplaySince(props: { id: string; onQueued: () => void }) {
  const [since, setSince] = useState('');
  const [until, setUntil] = useState('');
  const [note, setNote] = useState<string>();
  const [error, setError] = useState<string>();

  async function submit(event: FormEvent) {
    event.preventDefault();
    setError(undefined);
    setNote(undefined);
    const from = instant(since);
    if (!from) return;
    const to = instant(until);
    try {
      const { queued } = unwrap(
        await api.POST('/api/webhooks/{id}/replay', {
          params: { path: { id: props.id } },
          body: { since: from, ...(to ? { until: to } : {}) },
        }),
      );
      setNote(`${queued} ${queued === 1 ? 'delivery' : 'deliveries'} queued again.`);
      props.onQueued();
    } catch (e) {
      setError(reportError(e));
    }
  }

  return (
    <Section title="Replay a time range">
      <form className="edit" onSubmit={submit} aria-label="Replay a time range">
        <label htmlFor="replay-since">
          Since
          <input
            id="replay-since"
            type="datetime-local"
            required
            value={since}
            onChange={(e) => setSince(e.target.value)}
          />
        </label>
        <label htmlFor="replay-until">
          Until (optional: now)
          <input
            id="replay-until"
            type="datetime-local"
            value={until}
            onChange={(e) => setUntil(e.target.value)}
          />
        </label>
        <div className="actions">
          <button type="submit">Replay</button>
        </div>
      </form>
      <ErrorNote error={error} />
      {note && (
        <p role="status" className="outcome ok">
          {note}
        </p>
      )}
    </Section>
  );
}

/** One subscription: why it is disabled, enabling it again, its deliveries and their attempts, and replays. */
export function WebhookPage() {
  const { id = '' } = useParams<{ id: string }>();
  const [, navigate] = useLocation();
  const [status, setStatus] = useState<DeliveryStatus>();
  const [note, setNote] = useState<{ text: string; ok: boolean }>();
  const [opened, setOpened] = useState<Delivery>();
  const webhook = useLoad(
    () => api.GET('/api/webhooks/{id}', { params: { path: { id } } }).then(unwrap),
    [id],
  );
  const deliveries = useLoad(
    () =>
      api
        .GET('/api/webhooks/{id}/deliveries', {
          params: { path: { id }, query: status ? { status } : {} },
        })
        .then(unwrap),
    [id, status],
  );

  async function enable() {
    try {
      const { webhook: w } = unwrap(
        await api.POST('/api/webhooks/{id}/enable', { params: { path: { id } } }),
      );
      setNote({ text: `The webhook is ${w.status}.`, ok: true });
      webhook.reload();
    } catch (e) {
      setNote({ text: reportError(e), ok: false });
    }
  }

  async function remove() {
    if (!globalThis.confirm?.('Remove this webhook and its delivery log?')) return;
    try {
      unwrap(await api.DELETE('/api/webhooks/{id}', { params: { path: { id } } }));
      navigate('/webhooks');
    } catch (e) {
      setNote({ text: reportError(e), ok: false });
    }
  }

  async function replay(d: Delivery) {
    try {
      unwrap(
        await api.POST('/api/webhooks/{id}/deliveries/{deliveryId}/replay', {
          params: { path: { id, deliveryId: d.id } },
        }),
      );
      setNote({ text: `Delivery of ${d.eventType} queued again.`, ok: true });
      deliveries.reload();
    } catch (e) {
      setNote({ text: reportError(e), ok: false });
    }
  }

  const w = webhook.data?.webhook;
  return (
    <>
      <p>
        <Link href="/webhooks">Webhooks</Link>
      </p>
      <h1>Webhook</h1>
      <ErrorNote error={webhook.error} />
      <Loading when={webhook.loading && !webhook.data} />
      {w && (
        <Section
          title={w.url}
          actions={
            <div className="actions">
              {w.status === 'disabled' && (
                <button type="button" onClick={() => void enable()}>
                  Enable
                </button>
              )}
              <button type="button" onClick={() => void remove()}>
                Remove
              </button>
            </div>
          }
        >
          <dl className="facts">
            <dt>Status</dt>
            <dd>
              <Badge value={w.status} tone={w.status === 'active' ? 'good' : 'bad'} />{' '}
              {w.disabledAt && <When at={w.disabledAt} />}
            </dd>
            {w.disabledReason && (
              <>
                <dt>Disabled because</dt>
                <dd data-testid="webhook-disabled-reason">{w.disabledReason}</dd>
              </>
            )}
            <dt>Events</dt>
            <dd>{w.eventTypes.join(', ')}</dd>
            <dt>Entity types</dt>
            <dd>{w.entityTypes?.join(', ') ?? 'all'}</dd>
            <dt>Description</dt>
            <dd>{w.description ?? '—'}</dd>
            <dt>Created</dt>
            <dd>
              <When at={w.createdAt} />
            </dd>
          </dl>
        </Section>
      )}
      {note && (
        <p role="status" className={note.ok ? 'outcome ok' : 'error-text'} data-testid="webhook-note">
          {note.text}
        </p>
      )}
      <Section
        title="Deliveries"
        actions={
          <FilterSelect
            label="Status"
            value={status}
            options={webhookDeliveryStatuses}
            onChange={(v) => setStatus(v as DeliveryStatus | undefined)}
          />
        }
      >
        <ErrorNote error={deliveries.error} />
        <Loading when={deliveries.loading && !deliveries.data} />
        {deliveries.data && deliveries.data.deliveries.length === 0 && <p>No deliveries.</p>}
        {deliveries.data && deliveries.data.deliveries.length > 0 && (
          <div className="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">Event</th>
                  <th scope="col">Status</th>
                  <th scope="col">Attempts</th>
                  <th scope="col">Response</th>
                  <th scope="col">Last attempt</th>
                  <th scope="col">Next attempt or error</th>
                  <th scope="col">Actions</th>
                </tr>
              </thead>
              <tbody>
                {deliveries.data.deliveries.map((d) => (
                  <tr key={d.id}>
                    <td>
                      {d.eventType}
                      <div className="hint">
                        <code>{d.eventId}</code>
                      </div>
                    </td>
                    <td>
                      <Badge value={d.status} tone={deliveryTone[d.status]} />
                    </td>
                    <td>{d.attempts}</td>
                    <td>{d.lastStatusCode === null ? '—' : `HTTP ${d.lastStatusCode}`}</td>
                    <td>
                      <When at={d.lastAttemptAt} />
                    </td>
                    <td>{d.status === 'pending' ? <When at={d.nextAttemptAt} /> : (d.lastError ?? '—')}</td>
                    <td>
                      <div className="actions">
                        <button
                          type="button"
                          onClick={() => setOpened(opened?.id === d.id ? undefined : d)}
                          aria-label={`Attempts of delivery ${d.id}`}
                          aria-expanded={opened?.id === d.id}
                        >
                          Attempts
                        </button>
                        {d.status !== 'pending' && (
                          <button
                            type="button"
                            onClick={() => void replay(d)}
                            aria-label={`Replay delivery ${d.id}`}
                          >
                            Replay
                          </button>
                        )}
                      </div>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Section>
      {opened && (
        <DeliveryAttempts
          key={opened.id}
          webhookId={id}
          delivery={opened}
          onClose={() => setOpened(undefined)}
        />
      )}
      <ReplaySince id={id} onQueued={deliveries.reload} />
    </>
  );
}
