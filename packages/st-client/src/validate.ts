import { type EntityType, type StRecordOf, stRecordSchemas } from '@pricebook/contracts';
import type { StTelemetry } from './stats';

/** A record ST sent that does not match the contract, handed back instead of failing its page. */
export interface StInvalidRecord {
  entity: EntityType;
  /** Position in the page's `data`. */
  index: number;
  /** The record's `id` when it has a usable one. */
  id: number | undefined;
  /** The value exactly as received. */
  raw: unknown;
  /** One readable line, e.g. `price: expected number, received string`. */
  reason: string;
  issues: { path: string; message: string }[];
}

/** A page's records split into the valid (parsed and normalised) and the invalid. */
export interface StValidatedRecords<E extends EntityType> {
  records: StRecordOf<E>[];
  invalid: StInvalidRecord[];
}

const maxIssuesInReason = 5;

/**
 * Parses each raw record with its entity schema; a failure becomes an {@link StInvalidRecord}
 * and never stops the others.
 *
 * @example
 * const { records, invalid } = validateRecords('materials', page.data);
 */
export function validateRecords<E extends EntityType>(
  entity: E,
  data: readonly unknown[],
  telemetry?: StTelemetry,
): StValidatedRecords<E> {
  const schema = stRecordSchemas[entity];
  const records: StRecordOf<E>[] = [];
  const invalid: StInvalidRecord[] = [];
  data.forEach((raw, index) => {
    const result = schema.safeParse(raw);
    if (result.success) {
      records.push(result.data as StRecordOf<E>);
      return;
    }
    const issues = result.error.issues.map((issue) => ({
      path: issue.path.map(String).join('.') || '(record)',
      message: issue.message,
    }));
    const shown = issues.slice(0, maxIssuesInReason).map((i) => `${i.path}: ${i.message}`);
    if (issues.length > maxIssuesInReason) shown.push(`… ${issues.length - maxIssuesInReason} more`);
    const id = recordId(raw);
    const entry: StInvalidRecord = { entity, index, id, raw, reason: shown.join('; '), issues };
    invalid.push(entry);
    if (telemetry) {
      telemetry.stats.invalidRecords += 1;
      telemetry.emit({ type: 'invalid-record', entity, id, reason: entry.reason });
    }
  });
  return { records, invalid };
}

/** Records validated between two yields to the event loop in {@link validateRecordsYielding}. */
const recordsPerSlice = 500;

const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * {@link validateRecords} for whole pages: it yields to the event loop every 500 records, so a
 * 5,000-record page never blocks the process for long (timers, heartbeats and the sockets of
 * requests already granted by the rate limiter keep moving).
 *
 * @example
 * const { records, invalid } = await validateRecordsYielding('materials', page.data);
 */
export async function validateRecordsYielding<E extends EntityType>(
  entity: E,
  data: readonly unknown[],
  telemetry?: StTelemetry,
): Promise<StValidatedRecords<E>> {
  if (data.length <= recordsPerSlice) return validateRecords(entity, data, telemetry);
  const out: StValidatedRecords<E> = { records: [], invalid: [] };
  for (let start = 0; start < data.length; start += recordsPerSlice) {
    if (start > 0) await yieldToEventLoop();
    const slice = validateRecords(entity, data.slice(start, start + recordsPerSlice), telemetry);
    out.records.push(...slice.records);
    for (const bad of slice.invalid) out.invalid.push({ ...bad, index: bad.index + start });
  }
  return out;
}

function recordId(raw: unknown): number | undefined {
  if (raw === null || typeof raw !== 'object') return undefined;
  const id = (raw as Record<string, unknown>).id;
  return typeof id === 'number' && Number.isSafeInteger(id) ? id : undefined;
}

/**
 * The identity of one version of a record: `id@modifiedOn`. Export feeds may repeat rows;
 * de-duplicate on this key.
 *
 * @example
 * const seen = new Set(records.map(stVersionKey));
 */
export function stVersionKey(record: { id: number; modifiedOn: string | null }): string {
  return `${record.id}@${record.modifiedOn ?? ''}`;
}
