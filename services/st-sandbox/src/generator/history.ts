import type { Rng } from '../random';
import { compareStamp, formatStamp, type Stamp } from '../store/stamp';
import type { AnyRecord, Stored } from '../store/types';

const YEAR_MS = 365 * 24 * 3600 * 1000;

/**
 * Invents a believable edit history: creation times spread over three years, later edits
 * for about half the items, ending an hour before "now" so the whole history is past the
 * export feed's 15-minute lag. Timestamps come in .NET's mix of precisions: whole seconds,
 * whole milliseconds, and full 7-digit ticks.
 */
export class History {
  readonly start: number;
  readonly createdEnd: number;
  readonly modifiedEnd: number;

  constructor(
    private readonly rng: Rng,
    nowMs: number,
  ) {
    this.start = nowMs - 3 * YEAR_MS;
    this.createdEnd = nowMs - 2 * 3600_000;
    this.modifiedEnd = nowMs - 3600_000;
  }

  styled(ms: number): Stamp {
    const r = this.rng.next();
    if (r < 0.25) return { ms: Math.floor(ms / 1000) * 1000, ticks: 0 };
    if (r < 0.5) return { ms: Math.floor(ms), ticks: 0 };
    return { ms: Math.floor(ms), ticks: this.rng.int(1, 9999) };
  }

  /** The i-th of n creation times within [from, to] of the history (fractions of its span). */
  created(i: number, n: number, from = 0, to = 1): Stamp {
    const span = this.createdEnd - this.start;
    const slot = (to - from) / Math.max(1, n);
    return this.styled(this.start + span * (from + slot * (i + this.rng.next())));
  }

  modified(created: Stamp): Stamp {
    if (this.rng.chance(0.45)) return created;
    const at = created.ms + this.rng.next() * (this.modifiedEnd - created.ms);
    const s = this.styled(at);
    return compareStamp(s, created) < 0 ? created : s;
  }
}

export function stored<R extends AnyRecord>(data: R, created: Stamp, modified: Stamp): Stored<R> {
  return { data, created, modified, seq: 0, deleted: false, external: undefined };
}

/**
 * Makes runs of records share one `modifiedOn`, as bulk edits and imports do. Walking
 * backwards and pulling a record forward to its successor's stamp keeps every
 * `createdOn <= modifiedOn` and the overall order intact. The last two always tie.
 */
export function addTies(items: Stored<AnyRecord>[], rng: Rng): Stamp | undefined {
  const sorted = [...items].sort((a, b) => compareStamp(a.modified, b.modified) || a.data.id - b.data.id);
  for (let i = sorted.length - 2; i >= 0; i--) {
    const cur = sorted[i];
    const next = sorted[i + 1];
    if (cur && next && (i === sorted.length - 2 || rng.chance(0.4))) cur.modified = next.modified;
  }
  for (const item of items) {
    item.data.createdOn = formatStamp(item.created);
    item.data.modifiedOn = formatStamp(item.modified);
  }
  return sorted[sorted.length - 1]?.modified;
}
