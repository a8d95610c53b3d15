/** Short, readable renderings of the API's values, the same on every page. */

const minute = 60_000;
const hour = 60 * minute;
const day = 24 * hour;

/** A count with its noun, singular for one: `counted(1, 'item')` is "1 item", `counted(2, 'item')` "2 items". */
export function counted(n: number, noun: string): string {
  return `${n.toLocaleString('en-US')} ${noun}${n === 1 ? '' : 's'}`;
}

export function formatAge(iso: string | null | undefined, now = Date.now()): string {
  if (!iso) return 'never';
  const ms = now - Date.parse(iso);
  if (ms < 0) return `in ${formatSpan(-ms)}`;
  if (ms < minute) return 'just now';
  return `${formatSpan(ms)} ago`;
}

export function formatSpan(ms: number): string {
  if (ms < minute) return `${Math.round(ms / 1000)} s`;
  if (ms < hour) return `${Math.round(ms / minute)} min`;
  if (ms < day) return `${Math.round(ms / hour)} h`;
  return `${Math.round(ms / day)} d`;
}

export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return '—';
  if (ms < 1000) return `${ms} ms`;
  if (ms < minute) return `${(ms / 1000).toFixed(1)} s`;
  return `${Math.floor(ms / minute)} min ${Math.round((ms % minute) / 1000)} s`;
}

export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  return new Date(iso).toLocaleString('en-US', {
    year: 'numeric',
    month: 'short',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  });
}

/** A field value as a person reads it: strings bare, absent as a dash, the rest as JSON. */
export function formatValue(value: unknown): string {
  if (value === undefined) return '—';
  if (value === null) return 'null';
  if (typeof value === 'string') return value === '' ? '""' : value;
  return JSON.stringify(value);
}

export function formatCount(n: number): string {
  return n.toLocaleString('en-US');
}

/** `both_modified` → `both modified`: the API's words with spaces. */
export function words(value: string): string {
  return value.replaceAll('_', ' ');
}
