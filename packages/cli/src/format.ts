import { entityTypes, type SyncStats } from '@pricebook/contracts';

const statNames = ['fetched', 'created', 'updated', 'deleted', 'skipped', 'conflicts', 'errors'] as const;

/**
 * The counters of a sync on one line.
 *
 * @example
 * statsLine(stats); // 'fetched 1,250 · created 15 · updated 43 · deleted 2 · skipped 1,190 · conflicts 0 · errors 0'
 */
export function statsLine(stats: SyncStats): string {
  return statNames.map((n) => `${n} ${stats[n].toLocaleString('en-US')}`).join(' · ');
}

/**
 * A duration for people: `850 ms`, `12.4 s`, `3 m 05 s`.
 *
 * @example
 * duration(185_000); // '3 m 05 s'
 */
export function duration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return '—';
  if (ms < 1000) return `${ms} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const s = Math.round(ms / 1000);
  return `${Math.floor(s / 60)} m ${String(s % 60).padStart(2, '0')} s`;
}

/** An ISO instant as `2025-12-06 02:00:45Z`, or `—`. */
export function when(iso: string | null | undefined): string {
  return iso ? `${iso.slice(0, 10)} ${iso.slice(11, 19)}Z` : '—';
}

/**
 * Rows as an aligned plain-text table (numbers right-aligned), header first.
 *
 * @example
 * table(['ENTITY', 'TOTAL'], [['materials', 1200]]);
 */
export function table(header: string[], rows: Array<Array<string | number>>): string {
  const cells = [
    header,
    ...rows.map((r) => r.map((c) => (typeof c === 'number' ? c.toLocaleString('en-US') : c))),
  ];
  const numeric = header.map((_, i) => rows.length > 0 && rows.every((r) => typeof r[i] === 'number'));
  const widths = header.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? '').length)));
  return cells
    .map((r) =>
      r
        .map((c, i) => (numeric[i] ? c.padStart(widths[i] ?? 0) : c.padEnd(widths[i] ?? 0)))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

/** Position of an entity in the registry's full-sync order; names it does not know go last. */
const syncOrder = (entity: string) => {
  const i = (entityTypes as readonly string[]).indexOf(entity);
  return i === -1 ? entityTypes.length : i;
};

/**
 * The per-entity counters as a table, in the order a sync processes the entities (the stats
 * arrive in jsonb's key order, which is not it).
 */
export function entityStatsTable(entityStats: Partial<Record<string, Partial<SyncStats>>>): string {
  const entries = Object.entries(entityStats).sort(([a], [b]) => syncOrder(a) - syncOrder(b));
  const rows = entries.flatMap(([entity, s]) => (s ? [[entity, ...statNames.map((n) => s[n] ?? 0)]] : []));
  return table(['ENTITY', ...statNames.map((n) => n.toUpperCase())], rows);
}

/**
 * Writes `value` as JSON for scripts: one document, two-space indented.
 *
 * @example
 * io.out(json({ syncLogId }));
 */
export const json = (value: unknown): string => JSON.stringify(value, null, 2);
