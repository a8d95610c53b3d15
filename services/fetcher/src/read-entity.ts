import { type EntityType, entityDescriptor, type StRecordOf } from '@pricebook/contracts';
import type { StClient, StInvalidRecord } from '@pricebook/st-client';
import { invalidRecordVersion, recordVersion } from './messages';

/** What the fetcher needs from the ST client. */
export type StReader = Pick<StClient, 'list' | 'export' | 'listByIds'>;

/**
 * What one entity's run has seen. Export feeds repeat rows (and a list without `sort` may too),
 * so a record version is handed on once; `published` counts distinct ledger keys, the way the
 * applier counts them. Holds keys only, never records: ~100 bytes per record.
 *
 * @example
 * const tally = new EntityTally();
 * tally.admit('42', '2025-01-01T00:00:00.0000000Z', false); // true
 * tally.admit('42', '2025-01-01T00:00:00.0000000Z', false); // false: a repeated row
 */
export class EntityTally {
  private readonly versions = new Set<string>();
  private readonly keys = new Set<string>();
  private readonly invalidKeys = new Set<string>();
  private validVersions = 0;

  /** True the first time this version is seen in the run; counts its key. */
  admit(key: string, version: string, invalid: boolean): boolean {
    const id = `${key}@${version}`;
    if (this.versions.has(id)) return false;
    this.versions.add(id);
    this.keys.add(key);
    if (invalid) this.invalidKeys.add(key);
    else this.validVersions += 1;
    return true;
  }

  /**
   * Distinct versions handed on, the way the applier's ledger counts them: each `modifiedOn` of
   * a valid record (a record ST changed while the run read it counts twice), each invalid record once.
   */
  get versionCount(): number {
    return this.validVersions + this.invalidKeys.size;
  }

  /** Distinct records (valid and invalid) handed on. */
  get published(): number {
    return this.keys.size;
  }

  /** Distinct invalid records handed on. */
  get errors(): number {
    return this.invalidKeys.size;
  }
}

export interface ReadOptions {
  /** Full sync: list everything (`active=Any`); otherwise the export feed from `from`. */
  full: boolean;
  /** Export token (or date) to resume from; none reads the feed from the beginning. */
  from?: string | undefined;
  includeRecentChanges: boolean;
  /** Rows per page of a full listing; the client's default (5,000) when absent. */
  pageSize?: number | undefined;
  signal: AbortSignal;
}

/** One page, de-duplicated, ready to publish. */
export interface ReadBatch<E extends EntityType> {
  records: Array<{ record: StRecordOf<E>; deleted: boolean }>;
  invalid: StInvalidRecord[];
  /** Export feeds: the token that resumes after this page. */
  continueFrom?: string;
  /** Rows ST sent in this page, repeats included. */
  received: number;
}

/**
 * Streams one entity page by page: a full list, or the export feed from a token (an entity the
 * registry gives no export feed is listed whole instead). Where ST shows a deletion as
 * `active: false` in its feed, inactive rows are looked up by id (`active=Any`): the ones ST no
 * longer has are marked `deleted`. Only one page is held at a time.
 *
 * @example
 * for await (const batch of readEntity(st, 'materials', { full: true, … }, tally)) await publish(batch);
 */
export async function* readEntity<E extends EntityType>(
  st: StReader,
  entity: E,
  options: ReadOptions,
  tally: EntityTally,
): AsyncGenerator<ReadBatch<E>, void, undefined> {
  const { signal } = options;
  const { capabilities } = entityDescriptor(entity);
  if (options.full || !capabilities.exportFeed) {
    const pageSize = options.pageSize ? { pageSize: options.pageSize } : {};
    for await (const page of st.list(entity, { active: 'Any', ...pageSize, signal })) {
      yield { ...admit(page.records, page.invalid, tally), received: page.received };
    }
    return;
  }
  const exportOptions = { includeRecentChanges: options.includeRecentChanges, signal };
  const pages = st.export(entity, options.from ? { ...exportOptions, from: options.from } : exportOptions);
  for await (const page of pages) {
    const batch = admit(page.records, page.invalid, tally);
    const inactive = capabilities.deletionShowsInactive
      ? batch.records.filter((r) => !r.record.active).map((r) => r.record.id)
      : [];
    if (inactive.length > 0) {
      const gone = new Set((await st.listByIds(entity, inactive, { signal })).missing);
      for (const r of batch.records) if (gone.has(r.record.id)) r.deleted = true;
    }
    yield { ...batch, continueFrom: page.continueFrom, received: page.received };
  }
}

function admit<E extends EntityType>(
  records: readonly StRecordOf<E>[],
  invalid: readonly StInvalidRecord[],
  tally: EntityTally,
): Pick<ReadBatch<E>, 'records' | 'invalid'> {
  const fresh: ReadBatch<E>['records'] = [];
  for (const record of records) {
    const { key, version } = recordVersion(record);
    if (tally.admit(key, version, false)) fresh.push({ record, deleted: false });
  }
  const bad = invalid.filter((entry) => {
    const { key, version } = invalidRecordVersion(entry);
    return tally.admit(key, version, true);
  });
  return { records: fresh, invalid: bad };
}
