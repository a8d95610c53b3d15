import { useState } from 'react';
import { Link } from 'wouter';
import { api, unwrap } from '../api';
import { Badge, ErrorNote, Loading, Section, When } from '../components/bits';
import { changesOf, SyncChart } from '../components/sync-chart';
import { formatCount, formatDateTime, formatDuration, words } from '../lib/format';
import { reportError, useLoad } from '../lib/use-load';
import { useCan } from '../session';

async function loadOverview() {
  const [status, logs, lastCompleted, conflicts, rejections, drift] = await Promise.all([
    api.GET('/api/sync/pricebook/status').then(unwrap),
    api.GET('/api/sync/pricebook/logs', { params: { query: { limit: 12 } } }).then(unwrap),
    api
      .GET('/api/sync/pricebook/logs', { params: { query: { limit: 1, status: 'completed' } } })
      .then(unwrap),
    api.GET('/api/sync/pricebook/conflicts', { params: { query: { limit: 5 } } }).then(unwrap),
    api.GET('/api/sync/pricebook/rejections', { params: { query: { limit: 5 } } }).then(unwrap),
    api.GET('/api/drift').then(unwrap),
  ]);
  const last = status.lastSync;
  // Quarantined: the records the last finished sync could not read, per entity.
  const lastDetail = last
    ? await api
        .GET('/api/sync/pricebook/logs/{id}', {
          params: { path: { id: last.id }, query: { errorsLimit: 1 } },
        })
        .then(unwrap)
    : undefined;
  return {
    status,
    logs: logs.logs,
    lastCompleted: lastCompleted.logs[0],
    conflicts,
    rejections,
    lastDetail,
    drift,
  };
}

/** Is the pricebook in step, what did the last syncs do, and what needs a person. */
export function OverviewPage() {
  const { data, error, loading, reload } = useLoad(loadOverview, []);
  const isAdmin = useCan('admin');
  const isOperator = useCan('operator');
  const [schedulerError, setSchedulerError] = useState<string>();
  const [driftError, setDriftError] = useState<string>();

  async function driftAction(action: 'check' | 'resync') {
    setDriftError(undefined);
    try {
      if (action === 'check') unwrap(await api.POST('/api/drift/check'));
      else unwrap(await api.POST('/api/drift/resync'));
      reload();
    } catch (e) {
      setDriftError(reportError(e));
    }
  }

  async function toggleScheduler(start: boolean) {
    setSchedulerError(undefined);
    try {
      unwrap(
        await (start
          ? api.POST('/api/sync/pricebook/scheduler/start')
          : api.POST('/api/sync/pricebook/scheduler/stop')),
      );
      reload();
    } catch (e) {
      setSchedulerError(reportError(e));
    }
  }

  return (
    <>
      <h1>Overview</h1>
      <ErrorNote error={error} />
      <Loading when={loading && !data} />
      {data && (
        <div className="grid">
          <Section title="Records by entity">
            <div className="table-wrap">
              <table>
                <thead>
                  <tr>
                    <th scope="col">Entity</th>
                    <th scope="col" className="num">
                      Total
                    </th>
                    <th scope="col" className="num">
                      In sync
                    </th>
                    <th scope="col" className="num">
                      Pending
                    </th>
                    <th scope="col" className="num">
                      In conflict
                    </th>
                    <th scope="col" className="num">
                      Quarantined
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {data.status.stats.map((s) => (
                    <tr key={s.entity_type}>
                      <th scope="row">
                        <Link href={`/pricebook?entity=${s.entity_type}`}>{s.entity_type}</Link>
                      </th>
                      <td className="num">{formatCount(s.total_count)}</td>
                      <td className="num">{formatCount(s.synced_count)}</td>
                      <td className="num">
                        <Link href={`/pricebook?entity=${s.entity_type}&syncStatus=pending_sync`}>
                          {formatCount(s.pending_count)}
                        </Link>
                      </td>
                      <td className="num">
                        <Link href={`/conflicts?entityType=${s.entity_type}`}>
                          {formatCount(s.conflict_count)}
                        </Link>
                      </td>
                      <td className="num">
                        {formatCount(data.lastDetail?.log.entityStats[s.entity_type]?.errors ?? 0)}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            <p className="hint">
              Quarantined: records the last finished sync could not read, kept for inspection.
            </p>
          </Section>

          <Section title="Last syncs">
            <dl className="facts">
              <dt>Last successful sync</dt>
              <dd>
                {data.lastCompleted ? (
                  <>
                    <Link href={`/syncs/${data.lastCompleted.id}`}>
                      {data.lastCompleted.syncType} {words(data.lastCompleted.direction)}
                    </Link>{' '}
                    <When at={data.lastCompleted.completedAt} /> (
                    {formatDateTime(data.lastCompleted.completedAt)})
                  </>
                ) : (
                  'none yet'
                )}
              </dd>
              <dt>Last finished sync</dt>
              <dd>
                {data.status.lastSync ? (
                  <>
                    <Badge value={data.status.lastSync.status} />{' '}
                    <Link href={`/syncs/${data.status.lastSync.id}`}>{data.status.lastSync.syncType}</Link>{' '}
                    <When at={data.status.lastSync.completedAt} />
                    {data.status.lastSync.errorMessage && (
                      <span className="error-text"> — {data.status.lastSync.errorMessage}</span>
                    )}
                  </>
                ) : (
                  'none yet'
                )}
              </dd>
              <dt>Running now</dt>
              <dd>
                {data.status.running.length === 0
                  ? 'nothing'
                  : data.status.running.map((r) => (
                      <span key={r.syncLogId} className="running">
                        <Link href={`/syncs/${r.syncLogId}`}>
                          {r.syncType ?? 'sync'} of {r.entityTypes.join(', ')}
                        </Link>{' '}
                        {r.status && <Badge value={r.status} />}{' '}
                        {r.stale && <Badge value="stale" tone="bad" />}
                      </span>
                    ))}
              </dd>
            </dl>
            <SyncChart logs={data.logs} />
            <details>
              <summary>The same syncs as a table</summary>
              <div className="table-wrap">
                <table>
                  <thead>
                    <tr>
                      <th scope="col">Sync</th>
                      <th scope="col">Status</th>
                      <th scope="col" className="num">
                        Duration
                      </th>
                      <th scope="col" className="num">
                        Changed
                      </th>
                    </tr>
                  </thead>
                  <tbody>
                    {data.logs.map((l) => (
                      <tr key={l.id}>
                        <td>
                          <Link href={`/syncs/${l.id}`}>{formatDateTime(l.createdAt)}</Link>
                        </td>
                        <td>{words(l.status)}</td>
                        <td className="num">{formatDuration(l.durationMs)}</td>
                        <td className="num">{changesOf(l)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            </details>
          </Section>

          <Section
            title="Drift"
            actions={
              isOperator && (
                <>
                  <button type="button" onClick={() => void driftAction('check')}>
                    Check now
                  </button>
                  {data.drift.drift.state === 'drifted' && (
                    <button type="button" onClick={() => void driftAction('resync')}>
                      Re-sync drifted items
                    </button>
                  )}
                </>
              )
            }
          >
            <ErrorNote error={driftError} />
            <dl className="facts">
              <dt>ServiceTitan and the local copy</dt>
              <dd>
                <Badge
                  value={
                    data.status.drift.state === 'drifted'
                      ? `drifted (${formatCount(data.status.drift.items)} items)`
                      : words(data.status.drift.state)
                  }
                  tone={
                    data.status.drift.state === 'in_sync'
                      ? 'good'
                      : data.status.drift.state === 'drifted'
                        ? 'bad'
                        : 'warn'
                  }
                />
              </dd>
              <dt>Last checked</dt>
              <dd>{data.status.drift.checkedAt ? <When at={data.status.drift.checkedAt} /> : 'never'}</dd>
              {data.drift.pending && (
                <>
                  <dt>Check in progress</dt>
                  <dd>
                    <Badge value={data.drift.pending.status} /> <When at={data.drift.pending.createdAt} />
                  </dd>
                </>
              )}
            </dl>
            {data.drift.report && data.drift.report.items.length > 0 && (
              <ul className="plain drift-items">
                {data.drift.report.items.slice(0, 10).map((item) => (
                  <li key={`${item.entity}:${item.stId}`}>
                    {item.kind === 'missing_locally' ? (
                      `${item.entity} ${item.stId}`
                    ) : (
                      <Link href={`/pricebook/${item.entity}/st:${item.stId}`}>
                        {item.entity} {item.stId}
                      </Link>
                    )}{' '}
                    {words(item.kind)}
                    {item.fields.length > 0 && `: ${item.fields.join(', ')}`}
                  </li>
                ))}
              </ul>
            )}
            <p className="hint">
              A read-only comparison of ServiceTitan's export feeds with the local copy. Local edits waiting
              to be pushed and open conflicts are known, not drift.
            </p>
          </Section>

          <Section
            title="Scheduler"
            actions={
              isAdmin && (
                <button type="button" onClick={() => void toggleScheduler(!data.status.scheduler.isRunning)}>
                  {data.status.scheduler.isRunning ? 'Stop scheduler' : 'Start scheduler'}
                </button>
              )
            }
          >
            <ErrorNote error={schedulerError} />
            <dl className="facts">
              <dt>State</dt>
              <dd>
                <Badge
                  value={data.status.scheduler.isRunning ? 'running' : 'stopped'}
                  tone={data.status.scheduler.isRunning ? 'good' : 'warn'}
                />
              </dd>
              <dt>Full sync</dt>
              <dd>
                <code>{data.status.scheduler.schedules.fullSync}</code> ({data.status.scheduler.timezone}),
                next:{' '}
                {data.status.scheduler.nextRuns.fullSync ? (
                  <When at={data.status.scheduler.nextRuns.fullSync} />
                ) : (
                  'none (stopped)'
                )}
              </dd>
              <dt>Incremental sync</dt>
              <dd>
                <code>{data.status.scheduler.schedules.incrementalSync}</code>, next:{' '}
                {data.status.scheduler.nextRuns.incrementalSync ? (
                  <When at={data.status.scheduler.nextRuns.incrementalSync} />
                ) : (
                  'none (stopped)'
                )}
              </dd>
            </dl>
          </Section>

          <Section
            title={`Open conflicts (${formatCount(data.conflicts.counts.unresolved)})`}
            actions={<Link href="/conflicts">All conflicts</Link>}
          >
            {data.conflicts.conflicts.length === 0 ? (
              <p>No open conflict.</p>
            ) : (
              <ul className="plain">
                {data.conflicts.conflicts.map((c) => (
                  <li key={c.id}>
                    <Link href={`/conflicts/${c.id}`}>
                      {c.entityType} {c.stId ?? c.recordId.slice(0, 8)}
                    </Link>{' '}
                    {words(c.conflictType)}:{' '}
                    {Object.keys(c.fieldDiff ?? {}).join(', ') || 'deleted on one side'}{' '}
                    <When at={c.createdAt} />
                  </li>
                ))}
              </ul>
            )}
          </Section>

          <Section title="Rejected messages" actions={<Link href="/rejections">All rejections</Link>}>
            {data.rejections.rejections.length === 0 ? (
              <p>No rejected message.</p>
            ) : (
              <ul className="plain">
                {data.rejections.rejections.map((r) => (
                  <li key={r.id}>
                    <code>{r.subject}</code>: {r.reason}
                  </li>
                ))}
              </ul>
            )}
          </Section>
        </div>
      )}
    </>
  );
}
