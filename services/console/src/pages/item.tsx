import { type FormEvent, useState } from 'react';
import { Link, useParams } from 'wouter';
import { api, unwrap } from '../api';
import { Badge, ErrorNote, Loading, Section, When } from '../components/bits';
import { History } from '../components/history';
import { entityTypes } from '../lib/domain';
import { parseTyped } from '../lib/fields';
import { formatValue } from '../lib/format';
import { oneOf } from '../lib/query';
import { reportError, useLoad } from '../lib/use-load';
import { useCan } from '../session';
import { itemLabel } from './pricebook';

/** The fields a person edits here; others stay as they are (read-only ones the API refuses anyway). */
const editable = [
  'code',
  'name',
  'displayName',
  'description',
  'price',
  'memberPrice',
  'addOnPrice',
  'cost',
  'hours',
  'active',
  'taxable',
];

async function loadItem(entity: (typeof entityTypes)[number], id: string) {
  const [item, history] = await Promise.all([
    api.GET('/api/pricebook/{entity}/{id}', { params: { path: { entity, id } } }).then(unwrap),
    api
      .GET('/api/pricebook/{entity}/{id}/history', { params: { path: { entity, id }, query: { limit: 50 } } })
      .then(unwrap),
  ]);
  return { item: item.item, history: history.changes };
}

/** One pricebook item: its fields, its sync state, its history, and an edit form. */
export function ItemPage() {
  const params = useParams<{ entity: string; id: string }>();
  const entity = oneOf(params.entity ?? null, entityTypes) ?? 'materials';
  const id = params.id ?? '';
  const { data, error, loading, reload } = useLoad(() => loadItem(entity, id), [entity, id]);
  const canEdit = useCan('operator');
  const [saveError, setSaveError] = useState<string>();
  const [saved, setSaved] = useState<string>();
  const [busy, setBusy] = useState(false);
  const item = data?.item;
  const fields = item ? editable.filter((f) => f in item.record && typeof item.record[f] !== 'object') : [];

  async function save(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!item) return;
    const form = new FormData(event.currentTarget);
    const changes: Record<string, unknown> = {};
    try {
      for (const field of fields) {
        const before = item.record[field];
        const raw = form.get(field);
        const value = typeof before === 'boolean' ? raw === 'on' : parseTyped(String(raw ?? ''), before);
        if (JSON.stringify(value) !== JSON.stringify(before)) changes[field] = value;
      }
    } catch (e) {
      setSaveError((e as Error).message);
      return;
    }
    if (Object.keys(changes).length === 0) {
      setSaveError('Nothing changed.');
      return;
    }
    setBusy(true);
    setSaveError(undefined);
    try {
      unwrap(
        await api.PATCH('/api/pricebook/{entity}/{id}', {
          params: { path: { entity, id }, header: { 'if-match': `"${item.version}"` } },
          body: changes,
        }),
      );
      setSaved(`Saved ${Object.keys(changes).join(', ')}; the item waits to be pushed to ServiceTitan.`);
      reload();
    } catch (e) {
      setSaveError(reportError(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <>
      <p className="crumbs">
        <Link href={`/pricebook?entity=${entity}`}>Pricebook</Link> / {entity} /
      </p>
      <h1>{item ? itemLabel(item.record) : 'Item'}</h1>
      <ErrorNote error={error} />
      <Loading when={loading && !data} />
      {item && data && (
        <div className="grid">
          <Section title="Sync state">
            <dl className="facts">
              <dt>Status</dt>
              <dd>
                <span data-testid="item-status">
                  <Badge value={item.syncStatus} />
                </span>
                {item.hasConflict && (
                  <>
                    {' '}
                    <Link href={`/conflicts?entityType=${entity}`}>see conflicts</Link>
                  </>
                )}
              </dd>
              <dt>ServiceTitan id</dt>
              <dd>{item.stId ?? 'not pushed yet'}</dd>
              <dt>Last synced</dt>
              <dd>
                <When at={item.lastSyncedAt} />
              </dd>
              <dt>Edited here</dt>
              <dd>
                <When at={item.localModifiedAt} />
              </dd>
              <dt>Version</dt>
              <dd>{item.version}</dd>
            </dl>
          </Section>
          {canEdit && !item.deletedAt && (
            <Section title="Edit">
              <form className="edit" onSubmit={(e) => void save(e)} key={item.version}>
                {fields.map((field) => {
                  const value = item.record[field];
                  return typeof value === 'boolean' ? (
                    <label key={field} className="check">
                      <input type="checkbox" name={field} defaultChecked={value} /> {field}
                    </label>
                  ) : (
                    <label key={field}>
                      {field}
                      <input
                        name={field}
                        defaultValue={value === null || value === undefined ? '' : String(value)}
                        inputMode={typeof value === 'number' ? 'decimal' : undefined}
                      />
                    </label>
                  );
                })}
                <ErrorNote error={saveError} />
                {saved && <p role="status">{saved}</p>}
                <button type="submit" className="primary" disabled={busy || item.hasConflict}>
                  Save
                </button>
                {item.hasConflict && <p className="hint">Resolve its conflict before editing.</p>}
              </form>
            </Section>
          )}
          <Section title="History">
            <History changes={data.history} />
          </Section>
          <Section title="Fields">
            <div className="table-wrap">
              <table>
                <tbody>
                  {Object.entries(item.record).map(([field, value]) => (
                    <tr key={field}>
                      <th scope="row">{field}</th>
                      <td>
                        <span className="value">{formatValue(value)}</span>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </Section>
        </div>
      )}
    </>
  );
}
