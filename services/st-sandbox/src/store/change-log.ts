import type { Stamp } from './stamp';

/**
 * The export feed's order for one entity: every write appends (id, stamp) with a new
 * sequence number. A record's older entries go stale when it is written again; readers
 * skip an entry unless it is the record's latest. Sequence numbers never change, so a
 * continuation token can point at one forever, even after stale entries are compacted.
 */
export class ChangeLog {
  private seqs: number[] = [];
  private ids: number[] = [];
  private ms: number[] = [];
  private ticks: number[] = [];
  private nextSeq = 1;
  private stale = 0;

  append(id: number, stamp: Stamp): number {
    const seq = this.nextSeq++;
    this.seqs.push(seq);
    this.ids.push(id);
    this.ms.push(stamp.ms);
    this.ticks.push(stamp.ticks);
    return seq;
  }

  /** Called when a record's previous entry stops being its latest. */
  markStale(isLive: (id: number, seq: number) => boolean): void {
    this.stale++;
    if (this.stale > 1024 && this.stale * 2 > this.seqs.length) this.compact(isLive);
  }

  get length(): number {
    return this.seqs.length;
  }

  /** The highest sequence number handed out so far (0 when empty). */
  get lastSeq(): number {
    return this.nextSeq - 1;
  }

  seqAt(index: number): number {
    return this.seqs[index] ?? 0;
  }

  idAt(index: number): number {
    return this.ids[index] ?? 0;
  }

  stampAt(index: number): Stamp {
    return { ms: this.ms[index] ?? 0, ticks: this.ticks[index] ?? 0 };
  }

  /** Index of the first entry with a sequence number greater than `seq`. */
  indexAfterSeq(seq: number): number {
    let lo = 0;
    let hi = this.seqs.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((this.seqs[mid] ?? 0) <= seq) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Index of the first entry stamped at or after `stamp` (stamps never decrease along the log). */
  indexAtOrAfter(stamp: Stamp): number {
    let lo = 0;
    let hi = this.seqs.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const ms = this.ms[mid] ?? 0;
      const before = ms < stamp.ms || (ms === stamp.ms && (this.ticks[mid] ?? 0) < stamp.ticks);
      if (before) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private compact(isLive: (id: number, seq: number) => boolean): void {
    let w = 0;
    for (let r = 0; r < this.seqs.length; r++) {
      const seq = this.seqs[r] ?? 0;
      const id = this.ids[r] ?? 0;
      if (!isLive(id, seq)) continue;
      this.seqs[w] = seq;
      this.ids[w] = id;
      this.ms[w] = this.ms[r] ?? 0;
      this.ticks[w] = this.ticks[r] ?? 0;
      w++;
    }
    this.seqs.length = w;
    this.ids.length = w;
    this.ms.length = w;
    this.ticks.length = w;
    this.stale = 0;
  }
}
