import type { components } from '@pricebook/client';
import { type FormEvent, useState } from 'react';
import { api, ProblemError, unwrap } from '../api';
import { Badge, ErrorNote, Loading, Section } from '../components/bits';
import { tenantsChanged } from '../components/tenant-select';
import { reportError, useLoad } from '../lib/use-load';
import { useCan } from '../session';

type Tenant = components['schemas']['Tenant'];
type ConnectionTest = components['schemas']['TenantConnectionTest'];
type CreateRequest = components['schemas']['TenantCreateRequest'];

const statusTone = { active: 'good', paused: 'warn', removed: 'bad' } as const;

/** The add form's fields: label, body field, and whether it is a secret (never shown back). */
const formFields = [
  { name: 'tenantId', label: 'Tenant id', required: true },
  { name: 'name', label: 'Name', required: true },
  { name: 'clientId', label: 'Client id', required: true },
  { name: 'clientSecret', label: 'Client secret', required: true, secret: true },
  { name: 'appKey', label: 'App key', required: true, secret: true },
  { name: 'applicationGuid', label: 'Application GUID' },
  { name: 'apiBaseUrl', label: 'API URL', placeholder: 'https://api.servicetitan.io' },
  { name: 'authUrl', label: 'Auth URL', placeholder: 'https://auth.servicetitan.io' },
  { name: 'fullCron', label: 'Full sync cron', placeholder: 'deployment default' },
  { name: 'incrementalCron', label: 'Incremental sync cron', placeholder: 'deployment default' },
  { name: 'timezone', label: 'Time zone', placeholder: 'deployment default' },
] as const;
type FieldName = (typeof formFields)[number]['name'];

function createBody(values: Partial<Record<FieldName, string>>): CreateRequest {
  const v = (name: FieldName) => values[name]?.trim() || undefined;
  const schedule = {
    ...(v('fullCron') ? { fullCron: v('fullCron') } : {}),
    ...(v('incrementalCron') ? { incrementalCron: v('incrementalCron') } : {}),
    ...(v('timezone') ? { timezone: v('timezone') } : {}),
  };
  return {
    tenantId: v('tenantId') ?? '',
    name: v('name') ?? '',
    clientId: v('clientId') ?? '',
    // Secrets as typed: spaces may be part of them.
    clientSecret: values.clientSecret ?? '',
    appKey: values.appKey ?? '',
    ...(v('applicationGuid') ? { applicationGuid: v('applicationGuid') } : {}),
    ...(v('apiBaseUrl') ? { apiBaseUrl: v('apiBaseUrl') } : {}),
    ...(v('authUrl') ? { authUrl: v('authUrl') } : {}),
    ...(Object.keys(schedule).length > 0 ? { schedule } : {}),
  };
}

/** The form field a problem's error path names (`schedule.fullCron` → `fullCron`). */
const fieldOf = (path: string) => path.replace(/^schedule\./, '') as FieldName;

function AddTenant(props: { onAdded: () => void }) {
  const [values, setValues] = useState<Partial<Record<FieldName, string>>>({});
  const [fieldErrors, setFieldErrors] = useState<Partial<Record<FieldName, string>>>({});
  const [error, setError] = useState<string>();
  const [note, setNote] = useState<string>();
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    setNote(undefined);
    setFieldErrors({});
    try {
      const { tenant } = unwrap(await api.POST('/api/tenants', { body: createBody(values) }));
      setValues({});
      setNote(`Added tenant ${tenant.tenantId}. Test its connection below.`);
      props.onAdded();
      tenantsChanged();
    } catch (e) {
      if (e instanceof ProblemError && e.problem?.errors) {
        setFieldErrors(Object.fromEntries(e.problem.errors.map((f) => [fieldOf(f.path), f.message])));
      }
      setError(reportError(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <Section title="Add a tenant">
      <form className="edit" onSubmit={submit} aria-label="Add a tenant">
        {formFields.map((f) => {
          const problem = fieldErrors[f.name];
          const id = `tenant-${f.name}`;
          return (
            <label key={f.name} htmlFor={id}>
              {f.label}
              {'required' in f && f.required ? '' : ' (optional)'}
              <input
                id={id}
                value={values[f.name] ?? ''}
                onChange={(e) => setValues((v) => ({ ...v, [f.name]: e.target.value }))}
                required={'required' in f && f.required}
                type={'secret' in f ? 'password' : 'text'}
                autoComplete="off"
                placeholder={'placeholder' in f ? f.placeholder : undefined}
                aria-invalid={problem ? true : undefined}
                aria-describedby={problem ? `${id}-error` : undefined}
              />
              {problem && (
                <span className="error-text" id={`${id}-error`}>
                  {problem}
                </span>
              )}
            </label>
          );
        })}
        <p className="hint">The client secret and app key are stored encrypted and never shown again.</p>
        <div className="actions">
          <button type="submit" disabled={busy}>
            Add tenant
          </button>
        </div>
      </form>
      <ErrorNote error={error} />
      {note && <p role="status">{note}</p>}
    </Section>
  );
}

function testText(test: ConnectionTest): string {
  const status = test.status === null ? '' : ` (HTTP ${test.status})`;
  return test.ok
    ? `Connection ok: ${test.detail} (${test.durationMs} ms).`
    : `Connection failed at step “${test.step}”${status}: ${test.detail}`;
}

/** The tenants this deployment serves: status, schedule, and for admins adding, pausing, removing and testing them. */
export function TenantsPage() {
  const { data, error, loading, reload } = useLoad(() => api.GET('/api/tenants').then(unwrap), []);
  const isAdmin = useCan('admin');
  const canTest = useCan('operator');
  const [notes, setNotes] = useState<Record<string, { text: string; ok: boolean }>>({});
  const note = (tenantId: string | number, text: string, ok: boolean) =>
    setNotes((n) => ({ ...n, [String(tenantId)]: { text, ok } }));

  async function change(t: Tenant, action: 'pause' | 'resume' | 'remove') {
    const path = { params: { path: { tenantId: t.tenantId } } };
    try {
      const { tenant } = unwrap(
        action === 'remove'
          ? await api.DELETE('/api/tenants/{tenantId}', path)
          : action === 'pause'
            ? await api.POST('/api/tenants/{tenantId}/pause', path)
            : await api.POST('/api/tenants/{tenantId}/resume', path),
      );
      note(t.tenantId, `Tenant ${tenant.tenantId} is ${tenant.status}.`, true);
      reload();
      tenantsChanged();
    } catch (e) {
      note(t.tenantId, reportError(e), false);
    }
  }

  async function test(t: Tenant) {
    note(t.tenantId, 'Testing the connection…', true);
    try {
      const result = unwrap(
        await api.POST('/api/tenants/{tenantId}/test', { params: { path: { tenantId: t.tenantId } } }),
      );
      note(t.tenantId, testText(result.test), result.test.ok);
    } catch (e) {
      note(t.tenantId, reportError(e), false);
    }
  }

  return (
    <>
      <h1>Tenants</h1>
      <p className="hint">
        The ServiceTitan tenants this deployment serves. The deployment’s own tenant comes from its ST_*
        settings and is changed there; the others are added here. A paused tenant keeps its data and takes no
        sync; a removed one keeps its data until it is added again.
      </p>
      <ErrorNote error={error} />
      <Loading when={loading && !data} />
      {data && (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">Tenant</th>
                <th scope="col">Name</th>
                <th scope="col">Status</th>
                <th scope="col">Source</th>
                <th scope="col">Schedule</th>
                {canTest && <th scope="col">Actions</th>}
              </tr>
            </thead>
            <tbody>
              {data.tenants.map((t) => (
                <tr key={t.tenantId}>
                  <td>
                    <code>{t.tenantId}</code>
                  </td>
                  <td>{t.name}</td>
                  <td>
                    <Badge value={t.status} tone={statusTone[t.status]} />
                  </td>
                  <td>{t.source}</td>
                  <td>
                    full {t.schedule.fullCron ?? 'default'}, incremental{' '}
                    {t.schedule.incrementalCron ?? 'default'}
                    {t.schedule.timezone ? ` (${t.schedule.timezone})` : ''}
                  </td>
                  {canTest && (
                    <td>
                      <div className="actions">
                        {t.status !== 'removed' && (
                          <button
                            type="button"
                            onClick={() => void test(t)}
                            aria-label={`Test connection of ${t.tenantId}`}
                          >
                            Test connection
                          </button>
                        )}
                        {isAdmin && t.source === 'database' && t.status === 'active' && (
                          <button
                            type="button"
                            onClick={() => void change(t, 'pause')}
                            aria-label={`Pause ${t.tenantId}`}
                          >
                            Pause
                          </button>
                        )}
                        {isAdmin && t.source === 'database' && t.status === 'paused' && (
                          <button
                            type="button"
                            onClick={() => void change(t, 'resume')}
                            aria-label={`Resume ${t.tenantId}`}
                          >
                            Resume
                          </button>
                        )}
                        {isAdmin && t.source === 'database' && t.status !== 'removed' && (
                          <button
                            type="button"
                            onClick={() => void change(t, 'remove')}
                            aria-label={`Remove ${t.tenantId}`}
                          >
                            Remove
                          </button>
                        )}
                      </div>
                      {notes[t.tenantId] && (
                        <p
                          className={notes[t.tenantId]?.ok ? 'outcome ok' : 'error-text'}
                          role="status"
                          data-testid={`tenant-note-${t.tenantId}`}
                        >
                          {notes[t.tenantId]?.text}
                        </p>
                      )}
                    </td>
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {isAdmin && <AddTenant onAdded={reload} />}
    </>
  );
}
