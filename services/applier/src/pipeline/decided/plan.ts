import { canonicalJson, type RecordDecidedData } from '@pricebook/contracts';
import type { RowState } from '../../sql/rows';
import { type Outcome, stDeleted } from './classify';

/** One field a write would change. */
export interface FieldChange {
  before: unknown;
  after: unknown;
}

/**
 * The top-level fields whose values differ between two records, with both values (`null` for a
 * field one side lacks), in field-name order.
 *
 * @example
 * fieldChanges({ price: 1, code: 'A' }, { price: 2, code: 'A' }); // { price: { before: 1, after: 2 } }
 */
export function fieldChanges(
  before: Record<string, unknown> | null | undefined,
  after: Record<string, unknown> | null | undefined,
): Record<string, FieldChange> {
  const from = before ?? {};
  const to = after ?? {};
  const keys = [...new Set([...Object.keys(from), ...Object.keys(to)])].sort();
  const changes: Record<string, FieldChange> = {};
  for (const key of keys) {
    const a = from[key] ?? null;
    const b = to[key] ?? null;
    if (canonicalJson(a) !== canonicalJson(b)) changes[key] = { before: a, after: b };
  }
  return changes;
}

/** The record a write would leave in `data`, or undefined when `data` would not change. */
function dataAfter(d: RecordDecidedData, outcome: Outcome): Record<string, unknown> | undefined {
  if (outcome.kind !== 'write') return undefined;
  switch (outcome.op) {
    case 'create':
    case 'update':
      return d.record;
    case 'merge':
      return d.local ?? undefined;
    case 'keep_st':
      return stDeleted(d) ? undefined : d.record;
    default:
      return undefined;
  }
}

/**
 * A dry run's plan for one record, stored as its ledger `detail`: what the applier would do and,
 * field by field, the values before and after.
 *
 * @example
 * planOf(decision, outcome, row); // { action: 'update', changes: { price: { before: 10, after: 12 } } }
 */
export function planOf(
  d: RecordDecidedData,
  outcome: Outcome,
  row: RowState | undefined,
): Record<string, unknown> {
  if (outcome.kind === 'stale') return { action: 'stale', decision: d.action };
  if (outcome.kind === 'account') {
    return {
      action: outcome.ledger,
      decision: d.action,
      ...(outcome.why !== outcome.ledger ? { reason: outcome.why } : {}),
      ...(d.invalid ? { reason: d.invalid.reason } : {}),
    };
  }
  const after = dataAfter(d, outcome);
  const deletes = outcome.op === 'delete' || (outcome.op === 'keep_st' && stDeleted(d));
  return {
    action: outcome.ledger,
    decision: d.action,
    ...(outcome.op === 'conflict' || outcome.op === 'keep_st' || outcome.op === 'keep_local'
      ? {
          conflictType: d.conflictType ?? 'both_modified',
          resolution: outcome.op === 'conflict' ? 'manual' : outcome.op,
        }
      : {}),
    ...(after ? { changes: fieldChanges(row?.data, after) } : {}),
    ...(deletes ? { delete: true } : {}),
    ...(row?.deleted && after ? { restore: true } : {}),
    ...(d.fieldDiff && !after ? { fieldDiff: d.fieldDiff } : {}),
  };
}
