import { createHash } from 'node:crypto';
import {
  type DriftCategoryCounts,
  type DriftEntityCounts,
  type DriftItem,
  type EntityType,
  entityDescriptor,
} from '@pricebook/contracts';
import { isInConflict } from '@pricebook/db';
import { diffFields, diffOptionsFor, type StFields, syncedContent, syncedHash } from '@pricebook/merge';

/** What a drift check needs of one local row. */
export interface LocalSide {
  stId: number;
  data: StFields;
  syncStatus: 'synced' | 'pending_sync' | 'conflict';
  hasConflict: boolean;
  deleted: boolean;
}

interface LocalEntry {
  hash: string;
  category: string;
}

interface StEntry {
  hash: string;
  category: string;
  active: boolean;
  /** ServiceTitan no longer has it (an inactive feed row a look-up by id did not find). */
  gone: boolean;
  /** Its synced content, kept only while it differs from the local row's (to name the fields). */
  content?: Record<string, unknown>;
}

/**
 * The category an item counts in: a category's parent, or an item's first (lowest) category id;
 * `none` without one. The record path is the registry's column behind the API's category filter.
 */
function categoryOf(entity: EntityType, record: StFields): string {
  const { categoryFilter, columns } = entityDescriptor(entity);
  const column = columns.find((c) => c.column === categoryFilter.column);
  const value = column ? record[column.path[0] ?? ''] : undefined;
  const ids = (Array.isArray(value) ? value : [value])
    .map((v) => (v !== null && typeof v === 'object' ? Reflect.get(v, 'id') : v))
    .filter((v): v is number => typeof v === 'number');
  return ids.length === 0 ? 'none' : String(Math.min(...ids));
}

/** An order-free running hash: XOR of each item's digest, so each side can add items in any order. */
class RollingHash {
  private readonly acc = Buffer.alloc(32);
  count = 0;

  add(stId: number, hash: string): void {
    const digest = createHash('sha256').update(`${stId}:${hash}`).digest();
    for (let i = 0; i < 32; i += 1) this.acc[i] = (this.acc[i] ?? 0) ^ (digest[i] ?? 0);
    this.count += 1;
  }

  get hex(): string {
    return this.acc.toString('hex');
  }
}

/** How one drift check ends for an entity. */
export interface EntityDrift {
  counts: DriftEntityCounts;
  /** Every drifted item, sorted by ST id (the report caps the list). */
  items: DriftItem[];
}

/**
 * Compares one entity of a tenant: ServiceTitan's records (the whole export feed, repeats and
 * all) against the local rows, item by item on the synced content ({@link syncedHash} of the
 * merge package, the comparator's field list and normalisation), and per category by count and a
 * rolling hash. Rows with a local edit not yet pushed, or an open conflict, are known
 * disagreements: they are counted apart and left out on both sides. A local row the engine deleted
 * agrees with a ServiceTitan record that is inactive (a deletion shows so in the feed, and a local
 * delete is pushed as a deactivation). Holds one hash per item, and ServiceTitan's content of the
 * items that differ; the local rows of those are read again to name the fields. Local rows first,
 * then ServiceTitan's records.
 *
 * @example
 * const drift = new EntityComparison('materials');
 * for (const row of localRows) drift.addLocal(row);
 * for (const { record, deleted } of feed) drift.addSt(record, deleted);
 * const { counts, items } = drift.finish(await localDataOf(drift.differing()));
 */
export class EntityComparison {
  private readonly local = new Map<number, LocalEntry>();
  private readonly known = new Set<number>();
  private readonly deletedLocally = new Set<number>();
  private readonly st = new Map<number, StEntry>();
  private pending = 0;
  private conflicts = 0;

  constructor(readonly entity: EntityType) {}

  /** Local creates not yet pushed (no ST id yet): known, counted as pending. */
  addUnpushed(count: number): void {
    this.pending += count;
  }

  /** A local row with an ST id. */
  addLocal(row: LocalSide): void {
    if (isInConflict(row)) {
      this.conflicts += 1;
      this.known.add(row.stId);
      return;
    }
    if (row.syncStatus === 'pending_sync') {
      this.pending += 1;
      this.known.add(row.stId);
      return;
    }
    if (row.deleted) {
      this.deletedLocally.add(row.stId);
      return;
    }
    this.local.set(row.stId, {
      hash: syncedHash(this.entity, row.data),
      category: categoryOf(this.entity, row.data),
    });
  }

  /**
   * One ServiceTitan record, `gone` when ST no longer has it; a later version of the same id
   * replaces an earlier one.
   */
  addSt(record: StFields & { id: number; active?: boolean | null }, gone = false): void {
    const stId = record.id;
    if (this.known.has(stId)) return;
    const hash = syncedHash(this.entity, record);
    const local = this.local.get(stId);
    const category = categoryOf(this.entity, record);
    const entry: StEntry = { hash, category, active: record.active !== false, gone };
    if (local && local.hash !== hash) entry.content = syncedContent(this.entity, record);
    this.st.set(stId, entry);
  }

  /** A record ServiceTitan sent that failed validation: it cannot be compared, so neither side counts it. */
  addInvalid(stId: number): void {
    this.known.add(stId);
    this.local.delete(stId);
    this.st.delete(stId);
  }

  /** Items both sides have that differ: the local rows to read again to name their fields. */
  differing(): number[] {
    const ids: number[] = [];
    for (const [stId, entry] of this.st) if (entry.content && !entry.gone) ids.push(stId);
    return ids.sort((a, b) => a - b);
  }

  /**
   * The counts and the drifted items; `localData` holds the local rows of {@link differing} (a
   * row missing from it, e.g. one edited meanwhile, is reported without fields).
   */
  finish(localData: ReadonlyMap<number, StFields> = new Map()): EntityDrift {
    const sides = new Map<string, { st: RollingHash; local: RollingHash; drifted: number }>();
    const side = (category: string) => {
      let s = sides.get(category);
      if (!s) {
        s = { st: new RollingHash(), local: new RollingHash(), drifted: 0 };
        sides.set(category, s);
      }
      return s;
    };
    const stAll = new RollingHash();
    const localAll = new RollingHash();
    const items: DriftItem[] = [];
    const drifted = (stId: number, category: string, kind: DriftItem['kind'], fields: string[] = []) => {
      items.push({ entity: this.entity, stId, kind, fields });
      side(category).drifted += 1;
    };

    for (const [stId, entry] of this.st) {
      // A record ST deleted, or one inactive that the engine deleted locally: both sides agree it is gone.
      if (entry.gone || (this.deletedLocally.has(stId) && !entry.active)) continue;
      stAll.add(stId, entry.hash);
      side(entry.category).st.add(stId, entry.hash);
      const local = this.local.get(stId);
      if (!local) drifted(stId, entry.category, 'missing_locally');
      else if (local.hash !== entry.hash) {
        const data = localData.get(stId);
        const fields =
          data && entry.content
            ? diffFields(syncedContent(this.entity, data), entry.content, diffOptionsFor(this.entity))
            : [];
        drifted(stId, entry.category, 'differs', fields);
      }
    }
    for (const [stId, local] of this.local) {
      localAll.add(stId, local.hash);
      side(local.category).local.add(stId, local.hash);
      const entry = this.st.get(stId);
      if (!entry || entry.gone) drifted(stId, local.category, 'missing_in_st');
    }

    const categories: DriftCategoryCounts[] = [...sides]
      .filter(([, s]) => s.st.hex !== s.local.hex)
      .map(([category, s]) => ({
        category,
        st: s.st.count,
        local: s.local.count,
        stHash: s.st.hex,
        localHash: s.local.hex,
        drifted: s.drifted,
      }))
      .sort((a, b) => a.category.localeCompare(b.category));
    items.sort((a, b) => a.stId - b.stId);
    return {
      counts: {
        entity: this.entity,
        st: stAll.count,
        local: localAll.count,
        pending: this.pending,
        conflicts: this.conflicts,
        drifted: items.length,
        stHash: stAll.hex,
        localHash: localAll.hex,
        categories,
      },
      items,
    };
  }
}
