import { Link, useLocation } from 'wouter';
import { api, unwrap } from '../api';
import { Badge, ErrorNote, FilterSelect, Loading, When } from '../components/bits';
import { StartSync } from '../components/start-sync';
import { syncLogStatuses, syncTypes } from '../lib/domain';
import { formatCount, formatDuration, words } from '../lib/format';
import { oneOf, useQueryParams, withQuery } from '../lib/query';
import { useLoad } from '../lib/use-load';
import { useCan } from '../session';

/** The sync history with filters, and a form to start one. */
export function SyncsPage() {
  const params = useQueryParams();
  const [, navigate] = useLocation();
  const status = oneOf(params.get('status'), syncLogStatuses);
  const syncType = oneOf(params.get('syncType'), syncTypes);
  const cursor = params.get('cursor') ?? undefined;
  const { data, error, loading } = useLoad(
    () =>
      api
        .GET('/api/sync/pricebook/logs', { params: { query: { status, syncType, cursor, limit: 25 } } })
        .then(unwrap),
    [status, syncType, cursor],
  );
  const canSync = useCan('operator');
  const filter = (key: string) => (value: string | undefined) =>
    navigate(withQuery('/syncs', { status, syncType, [key]: value }));

  return (
    <>
      <h1>Syncs</h1>
      {canSync && <StartSync />}
      <section className="card" aria-label="Sync history">
        <h2>History</h2>
        <form className="filters" onSubmit={(e) => e.preventDefault()}>
          <FilterSelect label="Status" value={status} options={syncLogStatuses} onChange={filter('status')} />
          <FilterSelect label="Type" value={syncType} options={syncTypes} onChange={filter('syncType')} />
        </form>
        <ErrorNote error={error} />
        <Loading when={loading && !data} />
        {data && data.logs.length === 0 && <p>No sync matches these filters.</p>}
        {data && data.logs.length > 0 && (
          <div className="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">Created</th>
                  <th scope="col">Type</th>
                  <th scope="col">Status</th>
                  <th scope="col" className="num">
                    Duration
                  </th>
                  <th scope="col" className="num">
                    Read
                  </th>
                  <th scope="col" className="num">
                    Created
                  </th>
                  <th scope="col" className="num">
                    Updated
                  </th>
                  <th scope="col" className="num">
                    Deleted
                  </th>
                  <th scope="col" className="num">
                    Conflicts
                  </th>
                  <th scope="col" className="num">
                    Errors
                  </th>
                  <th scope="col">By</th>
                </tr>
              </thead>
              <tbody>
                {data.logs.map((l) => (
                  <tr key={l.id}>
                    <td>
                      <Link href={`/syncs/${l.id}`}>
                        <When at={l.createdAt} />
                      </Link>
                    </td>
                    <td>
                      {l.syncType} {words(l.direction)} {l.dryRun && <Badge value="dry run" tone="info" />}
                    </td>
                    <td>
                      <Badge value={l.status} />
                    </td>
                    <td className="num">{formatDuration(l.durationMs)}</td>
                    <td className="num">{formatCount(l.recordsFetched)}</td>
                    <td className="num">{formatCount(l.recordsCreated)}</td>
                    <td className="num">{formatCount(l.recordsUpdated)}</td>
                    <td className="num">{formatCount(l.recordsDeleted)}</td>
                    <td className="num">{formatCount(l.conflicts)}</td>
                    <td className="num">{formatCount(l.errors)}</td>
                    <td>{l.triggeredBy ?? '—'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        {data?.page.nextCursor && (
          <p>
            <Link href={withQuery('/syncs', { status, syncType, cursor: data.page.nextCursor })}>
              Older syncs
            </Link>
          </p>
        )}
      </section>
    </>
  );
}
