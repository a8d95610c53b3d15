import type { SyncProgress } from '@pricebook/client';
import { formatCount } from '../lib/format';

type Stats = SyncProgress['stats'];
const columns = ['fetched', 'created', 'updated', 'deleted', 'skipped', 'conflicts', 'errors'] as const;
const labels: Record<(typeof columns)[number], string> = {
  fetched: 'Read',
  created: 'Created',
  updated: 'Updated',
  deleted: 'Deleted',
  skipped: 'Unchanged',
  conflicts: 'Conflicts',
  errors: 'Quarantined',
};

/** A sync's counters per entity, with the totals last. */
export function StatsTable(props: {
  stats: Stats;
  entityStats: Partial<Record<string, Stats>>;
  done?: string[];
}) {
  const entities = Object.entries(props.entityStats).filter((e): e is [string, Stats] => e[1] !== undefined);
  return (
    <div className="table-wrap">
      <table>
        <thead>
          <tr>
            <th scope="col">Entity</th>
            {columns.map((c) => (
              <th key={c} scope="col" className="num">
                {labels[c]}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {entities.map(([entity, s]) => (
            <tr key={entity}>
              <th scope="row">
                {entity}
                {props.done?.includes(entity) && <span className="tag">done</span>}
              </th>
              {columns.map((c) => (
                <td key={c} className="num">
                  {formatCount(s[c])}
                </td>
              ))}
            </tr>
          ))}
          <tr className="total">
            <th scope="row">All</th>
            {columns.map((c) => (
              <td key={c} className="num">
                {formatCount(props.stats[c])}
              </td>
            ))}
          </tr>
        </tbody>
      </table>
    </div>
  );
}
