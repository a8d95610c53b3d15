/**
 * A point in time at .NET precision: epoch milliseconds plus 100-ns ticks within the
 * millisecond. A single JS number cannot hold epoch ticks exactly (they exceed 2^53),
 * so the two parts travel together.
 */
export interface Stamp {
  readonly ms: number;
  /** 0..9999, in 100-ns units. */
  readonly ticks: number;
}

export const ZERO_STAMP: Stamp = { ms: 0, ticks: 0 };

export function compareStamp(a: Stamp, b: Stamp): number {
  return a.ms - b.ms || a.ticks - b.ticks;
}

export function maxStamp(a: Stamp, b: Stamp): Stamp {
  return compareStamp(a, b) >= 0 ? a : b;
}

export function nextTick(s: Stamp): Stamp {
  return s.ticks >= 9999 ? { ms: s.ms + 1, ticks: 0 } : { ms: s.ms, ticks: s.ticks + 1 };
}

/**
 * Formats like .NET's round-trip serializer: `Z`, and the 7-digit fraction with trailing
 * zeros trimmed, so values carry anywhere from 0 to 7 fractional digits.
 */
export function formatStamp(s: Stamp): string {
  const iso = new Date(s.ms).toISOString();
  const fraction = String((s.ms % 1000) * 10000 + s.ticks)
    .padStart(7, '0')
    .replace(/0+$/, '');
  // join() gives one flat string; slices and template literals would keep rope and parent
  // strings alive for every stored record.
  return [iso.slice(0, 19), fraction ? '.' : '', fraction, 'Z'].join('');
}

const DATE_PARAM =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/i;

/** Parses a date or date-time query value (UTC unless it says otherwise); undefined if invalid. */
export function parseDateParam(text: string): Stamp | undefined {
  const m = DATE_PARAM.exec(text.trim());
  if (!m) return undefined;
  const [, y, mo, d, h = '0', mi = '0', sec = '0', frac = '', zone = 'Z'] = m;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  const wall = Date.UTC(year, month - 1, day, Number(h), Number(mi), Number(sec));
  const check = new Date(wall);
  if (check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day || Number(h) > 23) return undefined;
  const ticksTotal = Number(frac.slice(0, 7).padEnd(7, '0'));
  let offsetMs = 0;
  if (zone.toUpperCase() !== 'Z') {
    const digits = zone.replace(':', '');
    const sign = digits.startsWith('-') ? -1 : 1;
    offsetMs = sign * (Number(digits.slice(1, 3)) * 60 + Number(digits.slice(3, 5))) * 60_000;
  }
  return { ms: wall - offsetMs + Math.floor(ticksTotal / 10000), ticks: ticksTotal % 10000 };
}

/**
 * Hands out modification stamps for one tenant. Every stamp is strictly later than every
 * stamp before it, even if the sandbox clock is moved back, so the export feed's order and
 * `modifiedOn` always agree and an edit always changes `modifiedOn`. Ties only come from
 * one stamp being shared on purpose (bulk edits, generated history).
 */
export class StampSource {
  private last: Stamp = ZERO_STAMP;
  private counter = 0;

  /** Records a stamp handed out elsewhere (generated history) so later ones follow it. */
  observe(stamp: Stamp): void {
    this.last = maxStamp(this.last, stamp);
  }

  next(nowMs: number): Stamp {
    this.counter++;
    // Every fourth stamp lands on a whole millisecond, so clients see short fractions too.
    const ticks = this.counter % 4 === 0 ? 0 : 1 + ((this.counter * 7919) % 9999);
    const candidate = { ms: Math.floor(nowMs), ticks };
    this.last = compareStamp(candidate, this.last) > 0 ? candidate : nextTick(this.last);
    return this.last;
  }

  latest(): Stamp {
    return this.last;
  }
}
