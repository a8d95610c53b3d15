import type { components } from '@pricebook/client';
import { formatValue } from '../lib/format';
import { formatRelative, largestChange, plannedChanges, priceChanges } from '../lib/plan-summary';

type PlanEntry = components['schemas']['PlanEntry'];

/** What else the applier noted: a conflict it would open, a deletion, a reason. */
function notes(detail: Record<string, unknown> | null): string {
  if (!detail) return '';
  const parts: string[] = [];
  if (typeof detail.conflictType === 'string')
    parts.push(`conflict: ${detail.conflictType.replaceAll('_', ' ')}`);
  if (detail.delete === true) parts.push('deletes the record');
  if (detail.restore === true) parts.push('restores the record');
  if (typeof detail.reason === 'string') parts.push(detail.reason);
  return parts.join('; ');
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
              <th scope="col">Field changes (now → after the sync)</th>
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
                  {notes(p.detail) && <p className="hint">{notes(p.detail)}</p>}
                  <ul className="plain diff">
                    {plannedChanges(p.detail).map(([field, change]) => (
                      <li key={field}>
                        <strong>{field}</strong>: <del>{formatValue(change.before)}</del> →{' '}
                        <ins>{formatValue(change.after)}</ins>
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
