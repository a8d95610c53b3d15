import type { components } from '@pricebook/client';
import { type FormEvent, useState } from 'react';
import { Link } from 'wouter';
import { api, ProblemError, unwrap } from '../api';
import { Badge, ErrorNote, Loading, Section, When } from '../components/bits';
import { entityTypes, webhookEventTypes } from '../lib/domain';
import { reportError, useLoad } from '../lib/use-load';

type Webhook = components['schemas']['WebhookSubscription'];
type EventType = components['schemas']['WebhookEventType'];
type CreateRequest = components['schemas']['WebhookCreateRequest'];

const statusTone = { active: 'good', disabled: 'bad' } as const;

function AddWebhook(props: { onAdded: () => void }) {
  const [url, setUrl] = useState('');
  const [events, setEvents] = useState<EventType[]>(['conflict.opened']);
  const [entities, setEntities] = useState<Array<(typeof entityTypes)[number]>>([]);
  const [description, setDescription] = useState('');
  const [error, setError] = useState<string>();
  const [urlError, setUrlError] = useState<string>();
  const [created, setCreated] = useState<{ webhook: Webhook; secret: string }>();
  const [busy, setBusy] = useState(false);

  const toggle = <T extends string>(list: T[], value: T) =>
    list.includes(value) ? list.filter((v) => v !== value) : [...list, value];

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    setUrlError(undefined);
    setCreated(undefined);
    const body: CreateRequest = {
      url: url.trim(),
      eventTypes: events,
      entityTypes: entities.length > 0 ? entities : null,
      ...(description.trim() ? { description: description.trim() } : {}),
    };
    try {
      const answer = unwrap(await api.POST('/api/webhooks', { body }));
      setCreated({ webhook: answer.webhook, secret: answer.secret });
      setUrl('');
      setDescription('');
      props.onAdded();
    } catch (e) {
      if (e instanceof ProblemError) {
        const problem = e.problem?.errors?.find((f) => f.path === 'url');
        if (problem) setUrlError(problem.message);
      }
      setError(reportError(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <Section title="Add a webhook">
      <form className="edit" onSubmit={submit} aria-label="Add a webhook">
        <label htmlFor="webhook-url">
          URL
          <input
            id="webhook-url"
            type="url"
            required
            value={url}
            placeholder="https://n8n.example.com/webhook/pricebook-conflicts"
            onChange={(e) => setUrl(e.target.value)}
            aria-invalid={urlError ? true : undefined}
            aria-describedby={urlError ? 'webhook-url-error' : undefined}
          />
          {urlError && (
            <span className="error-text" id="webhook-url-error">
              {urlError}
            </span>
          )}
        </label>
        <fieldset>
          <legend>Events</legend>
          {webhookEventTypes.map((type) => (
            <label key={type} className="check">
              <input
                type="checkbox"
                checked={events.includes(type)}
                onChange={() => setEvents((list) => toggle(list, type))}
              />{' '}
              {type}
            </label>
          ))}
        </fieldset>
        <fieldset>
          <legend>Entity types (none checked: all)</legend>
          {entityTypes.map((type) => (
            <label key={type} className="check">
              <input
                type="checkbox"
                checked={entities.includes(type)}
                onChange={() => setEntities((list) => toggle(list, type))}
              />{' '}
              {type}
            </label>
          ))}
        </fieldset>
        <label htmlFor="webhook-description">
          Description (optional)
          <input
            id="webhook-description"
            value={description}
            onChange={(e) => setDescription(e.target.value)}
          />
        </label>
        <div className="actions">
          <button type="submit" disabled={busy || events.length === 0}>
            Add webhook
          </button>
        </div>
      </form>
      <ErrorNote error={error} />
      {created && (
        <div role="status" className="outcome ok" aria-label="Signing secret">
          <p>
            Added the webhook for <code>{created.webhook.url}</code>. Its signing secret is shown only now:
            keep it where the receiver verifies signatures.
          </p>
          <p>
            <code data-testid="webhook-secret">{created.secret}</code>
          </p>
        </div>
      )}
    </Section>
  );
}

/** The webhook subscriptions of the tenant: status, why one was disabled, and adding one (admin). */
export function WebhooksPage() {
  const { data, error, loading, reload } = useLoad(() => api.GET('/api/webhooks').then(unwrap), []);
  return (
    <>
      <h1>Webhooks</h1>
      <p className="hint">
        Each subscription receives the events it names as signed HTTPS POSTs (Standard Webhooks). A
        subscription whose receiver keeps failing is disabled with the reason; enable it once the receiver
        works again.
      </p>
      <ErrorNote error={error} />
      <Loading when={loading && !data} />
      {data && data.webhooks.length === 0 && <p>No webhooks yet.</p>}
      {data && data.webhooks.length > 0 && (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">URL</th>
                <th scope="col">Events</th>
                <th scope="col">Status</th>
                <th scope="col">Created</th>
              </tr>
            </thead>
            <tbody>
              {data.webhooks.map((w) => (
                <tr key={w.id}>
                  <td>
                    <Link href={`/webhooks/${w.id}`}>{w.url}</Link>
                    {w.description && <div className="hint">{w.description}</div>}
                  </td>
                  <td>{w.eventTypes.join(', ')}</td>
                  <td>
                    <Badge value={w.status} tone={statusTone[w.status]} />
                    {w.disabledReason && <div className="error-text">{w.disabledReason}</div>}
                  </td>
                  <td>
                    <When at={w.createdAt} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <AddWebhook onAdded={reload} />
    </>
  );
}
