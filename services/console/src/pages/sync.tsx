import { followSync, type SyncProgress } from '@pricebook/client';
import { useEffect, useState } from 'react';
import { Link, useParams } from 'wouter';
import { api, unwrap } from '../api';
import { Badge, ErrorNote, Loading, Section, When } from '../components/bits';
import { Plan } from '../components/plan';
import { StatsTable } from '../components/stats-table';
import { formatDuration, words } from '../lib/format';
import { reportError, useLoad } from '../lib/use-load';

const finished = new Set(['completed', 'failed', 'cancelled']);

/** Follows a running sync through the API's progress stream until it ends. */
function useProgress(
  id: string,
  running: boolean,
  onEnd: () => void,
): { progress?: SyncProgress; error?: string } {
  const [progress, setProgress] = useState<SyncProgress>();
  const [error, setError] = useState<string>();
  // biome-ignore lint/correctness/useExhaustiveDependencies: onEnd is read once the stream ends
  useEffect(() => {
    if (!running) return;
    let current = true;
    followSync(api, id, { onProgress: (p) => current && setProgress(p) }).then(
      (last) => {
        if (!current) return;
        setProgress(last);
        onEnd();
      },
      (e: unknown) => current && setError(reportError(e)),
    );
    return () => {
      current = false;
    };
  }, [id, running]);
  return { progress, error };
}

/** One sync: what it did per entity, live while it runs; quarantined records; a dry run's plan. */
export function SyncPage() {
  const { id = '' } = useParams<{ id: string }>();
  const { data, error, loading, reload } = useLoad(
    () =>
      api
        .GET('/api/sync/pricebook/logs/{id}', {
          params: { path: { id }, query: { planLimit: 100, errorsLimit: 100 } },
        })
        .then(unwrap),
    [id],
  );
  const log = data?.log;
  const running = log !== undefined && !finished.has(log.status);
  const live = useProgress(id, running, reload);
  const status = live.progress?.status ?? log?.status;

  return (
    <>
      <p className="crumbs">
        <Link href="/syncs">Syncs</Link> /
      </p>
      <h1>
        {log ? `${log.syncType} sync, ${words(log.direction)}` : 'Sync'} {log?.dryRun && '(dry run)'}
      </h1>
      <ErrorNote error={error} />
      <Loading when={loading && !data} />
      {log && (
        <>
          <dl className="facts">
            <dt>Status</dt>
            <dd>
              <span aria-live="polite" data-testid="sync-status">
                {status && <Badge value={status} />}
              </span>
              {running && <span className="hint"> following live</span>}
            </dd>
            <dt>Created</dt>
            <dd>
              <When at={log.createdAt} /> by {log.triggeredBy ?? 'the API'}
            </dd>
            <dt>Duration</dt>
            <dd>{formatDuration(live.progress?.durationMs ?? log.durationMs)}</dd>
            <dt>Options</dt>
            <dd>
              <code>{JSON.stringify(log.options)}</code>
            </dd>
            {(live.progress?.errorMessage ?? log.errorMessage) && (
              <>
                <dt>Error</dt>
                <dd className="error-text">{live.progress?.errorMessage ?? log.errorMessage}</dd>
              </>
            )}
          </dl>
          <ErrorNote error={live.error} />
          <Section title="Counters">
            <StatsTable
              stats={live.progress?.stats ?? log.stats}
              entityStats={live.progress?.entityStats ?? log.entityStats}
              done={live.progress?.entities.done}
            />
          </Section>
          {log.pushImpact && (
            <Section title="Push impact">
              {log.pushImpact.exceeded.length > 0 && (
                <ul className="plain error-text">
                  {log.pushImpact.exceeded.map((line) => (
                    <li key={line}>{line}</li>
                  ))}
                </ul>
              )}
              <ul className="plain">
                {log.pushImpact.entities.map((e) => (
                  <li key={e.entity}>
                    {e.entity}: {e.priceChanges} price changes, largest factor{' '}
                    {e.largestPriceFactor ?? 'price wiped'}, {e.deletions} deletions
                  </li>
                ))}
              </ul>
            </Section>
          )}
          <Section title={`Quarantined records (${data.errors.total})`}>
            {data.errors.items.length === 0 ? (
              <p>None: every record read was valid.</p>
            ) : (
              <div className="table-wrap">
                <table>
                  <thead>
                    <tr>
                      <th scope="col">Record</th>
                      <th scope="col">Reason</th>
                      <th scope="col">When</th>
                    </tr>
                  </thead>
                  <tbody>
                    {data.errors.items.map((e) => (
                      <tr key={e.id}>
                        <td>
                          {e.entityType} {e.stId ?? '—'}
                        </td>
                        <td>{e.reason}</td>
                        <td>
                          <When at={e.createdAt} />
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
          </Section>
          {data.plan && (
            <Section title="Plan">
              <Plan total={data.plan.total} items={data.plan.items} />
            </Section>
          )}
        </>
      )}
    </>
  );
}
