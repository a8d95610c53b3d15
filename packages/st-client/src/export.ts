import { type EntityType, entityDescriptor, StExportEnvelope, type StRecordOf } from '@pricebook/contracts';
import { AppError } from '@pricebook/errors';
import type { StHttp } from './http';
import { prefetch } from './pagination';
import type { StTelemetry } from './stats';
import { type StInvalidRecord, validateRecordsYielding } from './validate';

export interface StExportOptions {
  /**
   * Where to start: a saved `continueFrom` token, a date (`2020-01-01`, matched against
   * `modifiedOn`, inclusive), or nothing for the beginning.
   */
  from?: string;
  /**
   * Make edits visible at once instead of ~15 minutes later; rows may then repeat across
   * calls, so de-duplicate by `stVersionKey` (id + modifiedOn).
   */
  includeRecentChanges?: boolean;
  /** Request the next batch while this one is validated and applied (default true). */
  readAhead?: boolean;
  signal?: AbortSignal;
}

/** One batch of an export feed. */
export interface StExportPage<E extends EntityType> {
  entity: E;
  /** The token (or date, or `''`) this batch was requested with. */
  from: string;
  /** Save it after this batch is applied; passing it as `from` resumes right after. */
  continueFrom: string;
  /** False: the feed is drained for now; poll again in a few minutes with `continueFrom`. */
  hasMore: boolean;
  records: StRecordOf<E>[];
  invalid: StInvalidRecord[];
  received: number;
}

/**
 * Reads an export feed from `from` until ST says `hasMore=false`, yielding each batch with
 * the token that resumes after it. The token is opaque and is passed back untouched.
 *
 * @example
 * for await (const batch of exportPages(http, 'services', { from: saved })) {
 *   await apply(batch.records);
 *   await saveToken(batch.continueFrom);
 * }
 */
export async function* exportPages<E extends EntityType>(
  http: StHttp,
  entity: E,
  options: StExportOptions = {},
  telemetry?: StTelemetry,
): AsyncGenerator<StExportPage<E>, void, undefined> {
  const { st, capabilities } = entityDescriptor(entity);
  if (!capabilities.exportFeed) {
    throw new AppError('validation_failed', `ServiceTitan has no export feed of ${entity}`);
  }
  const fetchBatch = async (from: string): Promise<StExportEnvelope> => {
    const res = await http.send({
      operation: `${entity}.export`,
      method: 'GET',
      path: `/${st.exportPath}`,
      query: {
        from: from === '' ? undefined : from,
        includeRecentChanges: options.includeRecentChanges ? true : undefined,
      },
      idempotent: true,
      signal: options.signal,
    });
    const envelope = StExportEnvelope.safeParse(res.body);
    if (!envelope.success) {
      throw new AppError(
        'upstream_unavailable',
        `ServiceTitan ${entity}.export answered without an export envelope`,
        {
          retry: true,
          details: { operation: `${entity}.export`, reason: envelope.error.issues[0]?.message },
        },
      );
    }
    const { hasMore, continueFrom, data } = envelope.data;
    if (hasMore && continueFrom === from && data.length === 0) {
      throw new AppError('upstream_unavailable', `ServiceTitan ${entity}.export does not advance`, {
        retry: true,
        details: { operation: `${entity}.export` },
      });
    }
    return envelope.data;
  };
  let from = options.from ?? '';
  let pending = fetchBatch(from);
  for (;;) {
    const { data, hasMore, continueFrom } = await pending;
    // Read ahead: the next batch travels while this one is validated and applied.
    const next = hasMore && options.readAhead !== false ? prefetch(fetchBatch(continueFrom)) : undefined;
    const { records, invalid } = await validateRecordsYielding(entity, data, telemetry);
    yield { entity, from, continueFrom, hasMore, records, invalid, received: data.length };
    if (!hasMore) return;
    from = continueFrom;
    pending = next ?? fetchBatch(continueFrom);
  }
}
