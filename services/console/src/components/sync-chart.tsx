import type { SyncLogSummary } from '@pricebook/client';
import { formatDuration } from '../lib/format';

const width = 640;
const height = 180;
const pad = { top: 12, right: 12, bottom: 28, left: 48 };

/** The records a sync changed: created, updated and deleted. */
export function changesOf(log: SyncLogSummary): number {
  return log.recordsCreated + log.recordsUpdated + log.recordsDeleted;
}

/**
 * The last syncs, oldest on the left: a bar per sync for its duration, a dot for the records it
 * changed (right scale). The same figures are in the table below it, for those who do not see it.
 */
export function SyncChart(props: { logs: readonly SyncLogSummary[] }) {
  const logs = [...props.logs].reverse();
  if (logs.length === 0) return <p>No sync yet.</p>;
  const maxDuration = Math.max(1, ...logs.map((l) => l.durationMs ?? 0));
  const maxChanges = Math.max(1, ...logs.map(changesOf));
  const plotW = width - pad.left - pad.right;
  const plotH = height - pad.top - pad.bottom;
  const slot = plotW / logs.length;
  const barW = Math.max(2, Math.min(28, slot * 0.6));
  const summary = `Durations of the last ${logs.length} syncs, up to ${formatDuration(maxDuration)}; up to ${maxChanges} records changed`;
  return (
    <figure className="chart">
      <svg viewBox={`0 0 ${width} ${height}`} role="img" aria-label={summary}>
        <title>{summary}</title>
        <line
          x1={pad.left}
          x2={width - pad.right}
          y1={pad.top + plotH}
          y2={pad.top + plotH}
          className="axis"
        />
        <text x={pad.left - 6} y={pad.top + 10} textAnchor="end" className="tick">
          {formatDuration(maxDuration)}
        </text>
        <text x={pad.left - 6} y={pad.top + plotH} textAnchor="end" className="tick">
          0
        </text>
        {logs.map((log, i) => {
          const x = pad.left + i * slot + (slot - barW) / 2;
          const h = ((log.durationMs ?? 0) / maxDuration) * plotH;
          const cy = pad.top + plotH - (changesOf(log) / maxChanges) * plotH;
          return (
            <g key={log.id}>
              <rect
                x={x}
                y={pad.top + plotH - h}
                width={barW}
                height={Math.max(h, 1)}
                className={`bar ${log.status}`}
              />
              <circle cx={x + barW / 2} cy={cy} r={3.5} className="dot" />
            </g>
          );
        })}
        <text x={pad.left} y={height - 8} className="tick">
          oldest
        </text>
        <text x={width - pad.right} y={height - 8} textAnchor="end" className="tick">
          newest
        </text>
      </svg>
      <figcaption>
        <span className="key bar-key" /> duration <span className="key dot-key" /> records changed (created,
        updated, deleted; up to {maxChanges})
      </figcaption>
    </figure>
  );
}
