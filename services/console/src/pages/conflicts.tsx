import { useState } from 'react';
import { Link, useLocation } from 'wouter';
import { api, unwrap } from '../api';
import { Badge, ErrorNote, FilterSelect, Loading, When } from '../components/bits';
import { conflictStatuses, conflictTypes, entityTypes } from '../lib/domain';
import { formatCount, words } from '../lib/format';
import { oneOf, useQueryParams, withQuery } from '../lib/query';
import { reportError, useLoad } from '../lib/use-load';
import { useCan, useSession } from '../session';

interface BulkOutcome {
  id: string;
  status: string;
  supersededBy?: string | null;
  error?: string;
}

/** The conflict queue: filters, counts, and resolving a selection at once. */
export function ConflictsPage() {
  const params = useQueryParams();
  const [, navigate] = useLocation();
  const status = oneOf(params.get('status'), conflictStatuses) ?? 'unresolved';
  const entityType = oneOf(params.get('entityType'), entityTypes);
  const conflictType = oneOf(params.get('conflictType'), conflictTypes);
  const cursor = params.get('cursor') ?? undefined;
  const { data, error, loading, reload } = useLoad(
    () =>
      api
        .GET('/api/sync/pricebook/conflicts', {
          params: { query: { status, entityType, conflictType, cursor, limit: 50 } },
        })
        .then(unwrap),
    [status, entityType, conflictType, cursor],
  );
  const canResolve = useCan('operator');
  const { session } = useSession();
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [outcomes, setOutcomes] = useState<BulkOutcome[]>([]);
  const [busy, setBusy] = useState(false);

  const filter = (key: string) => (value: string | undefined) => {
    setSelected(new Set());
    navigate(withQuery('/conflicts', { status, entityType, conflictType, [key]: value }));
  };

  function toggle(id: string) {
    setSelected((s) => {
      const next = new Set(s);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });
  }

  async function resolveSelected(strategy: 'keep_st' | 'keep_local') {
    setBusy(true);
    const results: BulkOutcome[] = [];
    // One at a time: each resolution waits for the applier, and the API refuses nothing for order.
    for (const id of selected) {
      try {
        const result = unwrap(
          await api.POST('/api/sync/pricebook/resolve-conflict/{id}', {
            params: { path: { id }, query: { wait: 'true' } },
            body: { strategy, resolvedBy: `console:${session.principal}` },
          }),
        );
        results.push({ id, status: result.status, supersededBy: result.supersededBy });
      } catch (e) {
        results.push({ id, status: 'refused', error: reportError(e) });
      }
    }
    setOutcomes(results);
    setSelected(new Set());
    setBusy(false);
    reload();
  }

  const conflicts = data?.conflicts ?? [];
  const allSelected = conflicts.length > 0 && conflicts.every((c) => selected.has(c.id));

  return (
    <>
      <h1>Conflicts</h1>
      {data && (
        <p className="counts" aria-live="polite">
          {formatCount(data.counts.unresolved)} unresolved · {formatCount(data.counts.resolved)} resolved ·{' '}
          {formatCount(data.counts.superseded)} superseded · {formatCount(data.total)} match the filters
        </p>
      )}
      <form className="filters" onSubmit={(e) => e.preventDefault()}>
        <FilterSelect
          label="Status"
          value={status}
          options={conflictStatuses}
          onChange={filter('status')}
          asWords
          required
        />
        <FilterSelect
          label="Entity"
          value={entityType}
          options={entityTypes}
          onChange={filter('entityType')}
        />
        <FilterSelect
          label="Type"
          value={conflictType}
          options={conflictTypes}
          onChange={filter('conflictType')}
          asWords
        />
      </form>
      <ErrorNote error={error} />
      <Loading when={loading && !data} />
      {canResolve && status === 'unresolved' && conflicts.length > 0 && (
        <fieldset className="bulk" disabled={busy || selected.size === 0}>
          <legend>
            Resolve the {selected.size} selected {selected.size === 1 ? 'conflict' : 'conflicts'}
          </legend>
          <button type="button" onClick={() => void resolveSelected('keep_st')}>
            Keep ServiceTitan
          </button>
          <button type="button" onClick={() => void resolveSelected('keep_local')}>
            Keep local
          </button>
          {busy && <span role="status">Resolving…</span>}
        </fieldset>
      )}
      {outcomes.length > 0 && (
        <section className="card" aria-label="Bulk resolution result">
          <h2>Result</h2>
          <ul className="plain">
            {outcomes.map((o) => (
              <li key={o.id}>
                <Link href={`/conflicts/${o.id}`}>{o.id.slice(0, 8)}</Link> <Badge value={o.status} />
                {o.supersededBy && (
                  <>
                    {' '}
                    superseded by{' '}
                    <Link href={`/conflicts/${o.supersededBy}`}>{o.supersededBy.slice(0, 8)}</Link>
                  </>
                )}
                {o.error && <span className="error-text"> {o.error}</span>}
              </li>
            ))}
          </ul>
        </section>
      )}
      {data && conflicts.length === 0 && <p>No conflict matches these filters.</p>}
      {conflicts.length > 0 && (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                {canResolve && status === 'unresolved' && (
                  <th scope="col">
                    <input
                      type="checkbox"
                      aria-label="Select every conflict on this page"
                      checked={allSelected}
                      onChange={() =>
                        setSelected(allSelected ? new Set() : new Set(conflicts.map((c) => c.id)))
                      }
                    />
                  </th>
                )}
                <th scope="col">Record</th>
                <th scope="col">Type</th>
                <th scope="col">Disputed fields</th>
                <th scope="col">Status</th>
                <th scope="col">Found</th>
              </tr>
            </thead>
            <tbody>
              {conflicts.map((c) => (
                <tr key={c.id}>
                  {canResolve && status === 'unresolved' && (
                    <td>
                      <input
                        type="checkbox"
                        aria-label={`Select ${c.entityType} ${c.stId ?? c.recordId}`}
                        checked={selected.has(c.id)}
                        onChange={() => toggle(c.id)}
                      />
                    </td>
                  )}
                  <td>
                    <Link href={`/conflicts/${c.id}`}>
                      {c.entityType} {c.stId ?? c.recordId.slice(0, 8)}
                    </Link>
                  </td>
                  <td>{words(c.conflictType)}</td>
                  <td>{Object.keys(c.fieldDiff ?? {}).join(', ') || '—'}</td>
                  <td>
                    <Badge value={c.status} />
                  </td>
                  <td>
                    <When at={c.createdAt} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {data?.page.nextCursor && (
        <p>
          <Link
            href={withQuery('/conflicts', { status, entityType, conflictType, cursor: data.page.nextCursor })}
          >
            Next page
          </Link>
        </p>
      )}
    </>
  );
}
