import type { components } from '@pricebook/client';
import { formatValue } from '../lib/format';
import { formatRelative, largestChange, priceChanges } from '../lib/plan-summary';

type PlanEntry = components['schemas']['PlanEntry'];

function diffs(detail: Record<string, unknown> | null): Array<[string, unknown, unknown]> {
  return Object.entries(detail ?? {})
    .filter(([field, v]) => field !== 'changedFields' && typeof v === 'object' && v !== null)
    .map(([field, v]) => {
      const side = v as { local?: unknown; st?: unknown };
      return [field, side.local, side.st];
    });
}

/** A dry run's plan, readable: what it would do to each record, field by field, and its prices. */
export function Plan(props: { total: number; items: readonly PlanEntry[] }) {
  const changes = priceChanges(props.items);
  const largest = largestChange(changes);
  return (
    <>
      <dl className="facts">
        <dt>Records the sync would touch</dt>
        <dd>{props.total}</dd>
        <dt>Price changes (in the entries shown)</dt>
        <dd>{changes.length}</dd>
        <dt>Largest relative price change</dt>
        <dd>
          {largest
            ? `${formatRelative(largest.relative)}: ${largest.entityType} ${largest.itemKey} ${largest.field} ${largest.from} → ${largest.to}`
            : 'none'}
        </dd>
      </dl>
      <div className="table-wrap">
        <table>
          <thead>
            <tr>
              <th scope="col">Record</th>
              <th scope="col">Action</th>
              <th scope="col">Field changes (local → ServiceTitan)</th>
            </tr>
          </thead>
          <tbody>
            {props.items.map((p) => (
              <tr key={`${p.entityType}:${p.itemKey}:${p.action}`}>
                <td>
                  {p.entityType} {p.stId ?? p.itemKey}
                </td>
                <td>{p.action}</td>
                <td>
                  <ul className="plain diff">
                    {diffs(p.detail).map(([field, from, to]) => (
                      <li key={field}>
                        <strong>{field}</strong>: <del>{formatValue(from)}</del> →{' '}
                        <ins>{formatValue(to)}</ins>
                      </li>
                    ))}
                  </ul>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
