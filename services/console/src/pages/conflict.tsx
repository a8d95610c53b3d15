import { type FormEvent, useState } from 'react';
import { Link, useParams } from 'wouter';
import { api, unwrap } from '../api';
import { Badge, ErrorNote, Loading, When } from '../components/bits';
import { type FieldRow, fieldRows, parseTyped } from '../lib/fields';
import { formatValue, words } from '../lib/format';
import { reportError, useLoad } from '../lib/use-load';
import { useCan, useSession } from '../session';

type Choice = 'st' | 'local' | 'typed';
type Strategy = 'keep_st' | 'keep_local' | 'merge';

interface Outcome {
  status: string;
  success: boolean;
  supersededBy: string | null;
}

function ValueCell(props: { value: unknown; changed: boolean; chosen?: boolean }) {
  const classes = [props.changed ? 'changed' : '', props.chosen ? 'chosen' : ''].join(' ').trim();
  return (
    <td className={classes || undefined}>
      <span className="value">{formatValue(props.value)}</span>
      {props.changed && <span className="tag">changed</span>}
    </td>
  );
}

function ChoiceCell(props: {
  row: FieldRow;
  choice: Choice | undefined;
  typed: string;
  onChoice: (c: Choice) => void;
  onTyped: (v: string) => void;
}) {
  const { row } = props;
  const name = `choice-${row.field}`;
  return (
    <td>
      <fieldset className="choice">
        <legend className="sr-only">Value to keep for {row.field}</legend>
        {(['st', 'local', 'typed'] as const).map((c) => (
          <label key={c}>
            <input
              type="radio"
              name={name}
              value={c}
              checked={props.choice === c}
              onChange={() => props.onChoice(c)}
            />
            {c === 'st' ? 'ServiceTitan' : c === 'local' ? 'Local' : 'Typed'}
          </label>
        ))}
        {props.choice === 'typed' && (
          <input
            type="text"
            aria-label={`Typed value for ${row.field}`}
            value={props.typed}
            onChange={(e) => props.onTyped(e.target.value)}
          />
        )}
      </fieldset>
    </td>
  );
}

/** One conflict: base, ServiceTitan and local side by side; keep a side, or choose per field. */
export function ConflictPage() {
  const { id = '' } = useParams<{ id: string }>();
  const { data, error, loading, reload } = useLoad(
    () => api.GET('/api/sync/pricebook/conflicts/{id}', { params: { path: { id } } }).then(unwrap),
    [id],
  );
  const canResolve = useCan('operator');
  const { session } = useSession();
  const [choices, setChoices] = useState<Record<string, Choice>>({});
  const [typed, setTyped] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string>();
  const [outcome, setOutcome] = useState<Outcome>();

  const conflict = data?.conflict;
  const disputed = Object.keys(conflict?.fieldDiff ?? {});
  const rows = conflict
    ? fieldRows(conflict.baseVersion, conflict.stVersion, conflict.localVersion, disputed)
    : [];
  const disputedRows = rows.filter((r) => r.disputed);
  const otherRows = rows.filter((r) => !r.disputed);
  const open = conflict?.status === 'unresolved';
  const canMerge = open && disputed.length > 0 && conflict?.stVersion && conflict.localVersion;

  async function resolve(strategy: Strategy) {
    setFailure(undefined);
    const body: {
      strategy: Strategy;
      resolvedBy: string;
      fields?: Record<string, 'st' | 'local'>;
      values?: Record<string, unknown>;
    } = { strategy, resolvedBy: `console:${session.principal}` };
    if (strategy === 'merge') {
      const fields: Record<string, 'st' | 'local'> = {};
      const values: Record<string, unknown> = {};
      for (const row of disputedRows) {
        const choice = choices[row.field];
        if (!choice) {
          setFailure(`Choose a value for ${row.field}.`);
          return;
        }
        if (choice === 'typed') {
          try {
            values[row.field] = parseTyped(typed[row.field] ?? '', row.st ?? row.local ?? row.base);
          } catch (e) {
            setFailure(`${row.field}: ${(e as Error).message}`);
            return;
          }
        } else fields[row.field] = choice;
      }
      body.fields = fields;
      if (Object.keys(values).length > 0) body.values = values;
    }
    setBusy(true);
    try {
      const result = unwrap(
        await api.POST('/api/sync/pricebook/resolve-conflict/{id}', {
          params: { path: { id }, query: { wait: 'true' } },
          body,
        }),
      );
      setOutcome({ status: result.status, success: result.success, supersededBy: result.supersededBy });
      reload();
    } catch (e) {
      setFailure(reportError(e));
    } finally {
      setBusy(false);
    }
  }

  function submitMerge(event: FormEvent) {
    event.preventDefault();
    void resolve('merge');
  }

  return (
    <>
      <p className="crumbs">
        <Link href="/conflicts">Conflicts</Link> /
      </p>
      <h1>
        Conflict{' '}
        {conflict ? `on ${conflict.entityType} ${conflict.stId ?? conflict.recordId.slice(0, 8)}` : ''}
      </h1>
      <ErrorNote error={error} />
      <Loading when={loading && !data} />
      {conflict && (
        <>
          <dl className="facts">
            <dt>Type</dt>
            <dd>{words(conflict.conflictType)}</dd>
            <dt>Status</dt>
            <dd>
              <Badge value={conflict.status} />
              {conflict.resolution && <> as {words(conflict.resolution)}</>}
              {conflict.resolvedBy && <> by {conflict.resolvedBy}</>}{' '}
              {conflict.resolvedAt && <When at={conflict.resolvedAt} />}
            </dd>
            <dt>Found</dt>
            <dd>
              <When at={conflict.createdAt} />
              {conflict.syncLogId && (
                <>
                  {' '}
                  by <Link href={`/syncs/${conflict.syncLogId}`}>this sync</Link>
                </>
              )}
            </dd>
            <dt>Record</dt>
            <dd>
              <Link href={`/pricebook/${conflict.entityType}/${conflict.recordId}`}>open the item</Link>
            </dd>
          </dl>
          {outcome && (
            <section
              className={`card outcome ${outcome.success ? 'ok' : 'warn'}`}
              aria-label="Resolution result"
            >
              <h2>Result</h2>
              <p role="status">
                The conflict is <Badge value={outcome.status} />.
                {outcome.supersededBy && (
                  <>
                    {' '}
                    The record changed since; the sides still disagree in a{' '}
                    <Link href={`/conflicts/${outcome.supersededBy}`}>new conflict</Link>.
                  </>
                )}
              </p>
            </section>
          )}
          <ErrorNote error={failure} />
          <form onSubmit={submitMerge}>
            <div className="table-wrap">
              <table className="three-way">
                <caption>
                  {disputedRows.length} disputed {disputedRows.length === 1 ? 'field' : 'fields'}: both sides
                  changed them differently since the base
                </caption>
                <thead>
                  <tr>
                    <th scope="col">Field</th>
                    <th scope="col">Base (last agreed)</th>
                    <th scope="col">ServiceTitan</th>
                    <th scope="col">Local</th>
                    {canResolve && canMerge && <th scope="col">Keep</th>}
                  </tr>
                </thead>
                <tbody>
                  {disputedRows.map((row) => (
                    <tr key={row.field} className="disputed">
                      <th scope="row">
                        {row.field} <span className="tag strong">disputed</span>
                      </th>
                      <ValueCell value={row.base} changed={false} />
                      <ValueCell
                        value={row.st}
                        changed={row.stChanged}
                        chosen={choices[row.field] === 'st'}
                      />
                      <ValueCell
                        value={row.local}
                        changed={row.localChanged}
                        chosen={choices[row.field] === 'local'}
                      />
                      {canResolve && canMerge && (
                        <ChoiceCell
                          row={row}
                          choice={choices[row.field]}
                          typed={typed[row.field] ?? ''}
                          onChoice={(c) => setChoices((s) => ({ ...s, [row.field]: c }))}
                          onTyped={(v) => setTyped((s) => ({ ...s, [row.field]: v }))}
                        />
                      )}
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            <details>
              <summary>
                {otherRows.length} other fields (changed on one side only, merged as that side has them, or
                unchanged)
              </summary>
              <div className="table-wrap">
                <table className="three-way">
                  <thead>
                    <tr>
                      <th scope="col">Field</th>
                      <th scope="col">Base</th>
                      <th scope="col">ServiceTitan</th>
                      <th scope="col">Local</th>
                    </tr>
                  </thead>
                  <tbody>
                    {otherRows.map((row) => (
                      <tr key={row.field}>
                        <th scope="row">{row.field}</th>
                        <ValueCell value={row.base} changed={false} />
                        <ValueCell value={row.st} changed={row.stChanged} />
                        <ValueCell value={row.local} changed={row.localChanged} />
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            </details>
            {canResolve && open && (
              <div className="actions">
                <button type="button" disabled={busy} onClick={() => void resolve('keep_st')}>
                  Keep ServiceTitan
                </button>
                <button type="button" disabled={busy} onClick={() => void resolve('keep_local')}>
                  Keep local
                </button>
                {canMerge && (
                  <button type="submit" className="primary" disabled={busy}>
                    Resolve with my choices
                  </button>
                )}
                {busy && <span role="status">Resolving…</span>}
              </div>
            )}
          </form>
        </>
      )}
    </>
  );
}
