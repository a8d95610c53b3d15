import type { components } from '@pricebook/client';
import { formatDateTime, formatValue } from '../lib/format';
import { Badge, When } from './bits';

type Change = components['schemas']['PricebookChange'];

function Diff(props: { change: Change }) {
  const { change } = props;
  if (change.changedFields.length === 0) return null;
  return (
    <ul className="plain diff">
      {change.changedFields.map((field) => (
        <li key={field}>
          <strong>{field}</strong>: <del>{formatValue(change.before?.[field])}</del> →{' '}
          <ins>{formatValue(change.after?.[field])}</ins>
        </li>
      ))}
    </ul>
  );
}

/** An item's changes as a timeline, newest first: who, from where, and each field before → after. */
export function History(props: { changes: readonly Change[] }) {
  if (props.changes.length === 0) return <p>No change recorded yet.</p>;
  return (
    <ol className="timeline">
      {props.changes.map((c) => (
        <li key={c.id}>
          <p className="when">
            <When at={c.occurredAt} /> <span className="hint">({formatDateTime(c.occurredAt)})</span>{' '}
            <Badge value={c.operation} tone="plain" /> from <strong>{c.origin}</strong>
            {c.actor && <> by {c.actor}</>}
          </p>
          {c.before === null || c.after === null ? (
            // A whole record appearing or going: its fields, folded.
            <details>
              <summary>{c.changedFields.length} fields</summary>
              <Diff change={c} />
            </details>
          ) : (
            <Diff change={c} />
          )}
        </li>
      ))}
    </ol>
  );
}
