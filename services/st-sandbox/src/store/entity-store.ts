import { ChangeLog } from './change-log';
import { compareStamp, formatStamp, type Stamp } from './stamp';
import type { BaseRecord, Entity, ExternalDataModel, Stored } from './types';

/** Stable per record, so a client hashing whole records sees no churn between reads. */
function sortOrderOf(id: number): number {
  return (id * 7) % 1000;
}

function codeKey(data: BaseRecord): string | undefined {
  return 'code' in data && typeof data.code === 'string' ? data.code.toLowerCase() : undefined;
}

/**
 * All records of one entity in one tenant. Keeps three indexes up to date on every write so
 * no request ever sorts the whole tenant: by id, live records in id order (the list order),
 * and the change log (the export order). Codes are unique case-insensitively among live records.
 */
export class EntityStore<R extends BaseRecord> {
  readonly log = new ChangeLog();
  private readonly byId = new Map<number, Stored<R>>();
  private order: Stored<R>[] = [];
  private readonly codes = new Map<string, number>();

  constructor(readonly entity: Entity) {}

  /** Any record, deleted ones included. */
  get(id: number): Stored<R> | undefined {
    return this.byId.get(id);
  }

  getLive(id: number): Stored<R> | undefined {
    const item = this.byId.get(id);
    return item && !item.deleted ? item : undefined;
  }

  /** Live records in id order; callers must not mutate the array. */
  live(): readonly Stored<R>[] {
    return this.order;
  }

  /** Every record including deleted ones, in id order. */
  all(): Stored<R>[] {
    return [...this.byId.values()].sort((a, b) => a.data.id - b.data.id);
  }

  get size(): number {
    return this.order.length;
  }

  /** Id of the live record using `code` (any case), if any. */
  codeOwner(code: string): number | undefined {
    return this.codes.get(code.toLowerCase());
  }

  /** Adds a new record written at `stamp`. */
  insert(data: R, stamp: Stamp, external?: Map<string, ExternalDataModel[]>): Stored<R> {
    data.createdOn = formatStamp(stamp);
    data.modifiedOn = data.createdOn;
    const item: Stored<R> = { data, created: stamp, modified: stamp, seq: 0, deleted: false, external };
    this.index(item);
    item.seq = this.log.append(data.id, stamp);
    return item;
  }

  /**
   * Adds generated history without logging it; `finishLoad` then logs everything in
   * modification order, as if the history had really happened.
   */
  load(item: Stored<R>): void {
    this.index(item);
  }

  finishLoad(): void {
    const items = [...this.byId.values()].sort(
      (a, b) => compareStamp(a.modified, b.modified) || a.data.id - b.data.id,
    );
    for (const item of items) item.seq = this.log.append(item.data.id, item.modified);
  }

  /** Records a write to `item` made at `stamp`; `oldCode` is its code before the write. */
  touch(item: Stored<R>, stamp: Stamp, oldCode?: string): void {
    const newKey = codeKey(item.data);
    const oldKey = oldCode?.toLowerCase();
    if (!item.deleted && oldKey !== newKey) {
      if (oldKey !== undefined && this.codes.get(oldKey) === item.data.id) this.codes.delete(oldKey);
      if (newKey !== undefined) this.codes.set(newKey, item.data.id);
    }
    item.modified = stamp;
    item.data.modifiedOn = formatStamp(stamp);
    item.seq = this.log.append(item.data.id, stamp);
    this.log.markStale((id, seq) => this.byId.get(id)?.seq === seq);
  }

  /**
   * Deletes as ServiceTitan appears to: the record leaves lists and gets, frees its code,
   * and shows up once more in the export feed as its last state with `active: false`.
   */
  remove(item: Stored<R>, stamp: Stamp): void {
    if (item.deleted) return;
    item.deleted = true;
    item.data.active = false;
    const key = codeKey(item.data);
    if (key !== undefined && this.codes.get(key) === item.data.id) this.codes.delete(key);
    const at = this.position(item.data.id);
    if (this.order[at] === item) this.order.splice(at, 1);
    this.touch(item, stamp);
  }

  private index(item: Stored<R>): void {
    const id = item.data.id;
    item.data.sortOrder = sortOrderOf(id);
    this.byId.set(id, item);
    if (!item.deleted) {
      const last = this.order[this.order.length - 1];
      // Ids only grow, so this is an append except when history is loaded out of order.
      if (!last || last.data.id < id) this.order.push(item);
      else this.order.splice(this.position(id), 0, item);
      const key = codeKey(item.data);
      if (key !== undefined) this.codes.set(key, id);
    }
  }

  private position(id: number): number {
    let lo = 0;
    let hi = this.order.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((this.order[mid]?.data.id ?? 0) < id) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
