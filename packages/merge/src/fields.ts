import {
  canonicalJson,
  type EntityType,
  entityDescriptor,
  stContent,
  stContentHash,
} from '@pricebook/contracts';

/** A ServiceTitan record (or part of one) in ST's camelCase field names. */
export type StFields = Readonly<Record<string, unknown>>;

/**
 * Fields that ServiceTitan computes or rewrites by itself (CONTRACT.md §4), so a difference in
 * them is never an edit anyone made and never a conflict:
 *
 * - `modifiedOn`: stamped by every save, including saves that change nothing else.
 * - `createdOn`, `createdById`: read-only and constant; categories gained `createdOn` (and
 *   `modifiedOn`) in a 2026 build, so a tenant upgrade adds them without anyone editing.
 * - `cost`, `soldByCommission` **on services**: read-only there, derived from the linked
 *   materials and equipment. On materials and equipment `cost` is a writable field, so only the
 *   service-only name `soldByCommission` is listed; the entity registry's descriptors name the
 *   fields volatile on one entity only (see {@link diffOptionsFor}).
 * - `calculatedPrice`, `useStaticPrices`: depend on the request (`calculatePrices=true`).
 * - `defaultAssetUrl`: derived from `assets`.
 * - `subcategories`: derived from the other categories' `parentId`.
 *
 * They still travel with the record: an `update` writes ST's values of them, a `merge` takes
 * them from ST; they only do not count as changed fields.
 *
 * @example
 * volatileFields.includes('modifiedOn'); // true
 */
export const volatileFields: readonly string[] = [
  'modifiedOn',
  'createdOn',
  'createdById',
  'soldByCommission',
  'calculatedPrice',
  'useStaticPrices',
  'defaultAssetUrl',
  'subcategories',
];

/**
 * Service fields that are volatile on services only (`cost` is writable on materials and
 * equipment, read-only and computed on services); the services descriptor owns the list.
 */
export { volatileServiceFields } from '@pricebook/contracts';

const defaultIgnored: ReadonlySet<string> = new Set(volatileFields);

/**
 * Whether two field values are the same: deep equality on canonical JSON (key order does not
 * matter, array order does). A missing field equals `null`, as ST sends either for an empty
 * nullable field and the content hash treats them alike.
 *
 * @example
 * sameValue({ a: 1, b: [2] }, { b: [2], a: 1 }); // true
 * sameValue(undefined, null); // true
 */
export function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  return canonicalJson(a ?? null) === canonicalJson(b ?? null);
}

export interface DiffOptions {
  /** More fields to leave out, beside {@link volatileFields} (e.g. {@link volatileServiceFields}). */
  ignore?: readonly string[];
}

/**
 * The set of fields {@link diffFields} leaves out with these options.
 *
 * @example
 * ignoredFields({ ignore: volatileServiceFields }).has('cost'); // true
 */
export function ignoredFields(options: DiffOptions = {}): ReadonlySet<string> {
  if (!options.ignore || options.ignore.length === 0) return defaultIgnored;
  return new Set([...volatileFields, ...options.ignore]);
}

/**
 * The top-level fields whose values differ between `a` and `b`, sorted, ignoring
 * {@link volatileFields}. `null`/absent records count as `{}`.
 *
 * @example
 * diffFields({ price: 1, modifiedOn: 'x' }, { price: 2, modifiedOn: 'y' }); // ['price']
 */
export function diffFields(
  a: StFields | null | undefined,
  b: StFields | null | undefined,
  options: DiffOptions = {},
): string[] {
  const left = a ?? {};
  const right = b ?? {};
  const ignored = ignoredFields(options);
  const keys = new Set([...Object.keys(left), ...Object.keys(right)]);
  const changed: string[] = [];
  for (const key of keys) {
    if (ignored.has(key)) continue;
    if (!sameValue(left[key], right[key])) changed.push(key);
  }
  return changed.sort();
}

/**
 * The diff options of an entity: the fields its registry descriptor says ST computes on it
 * (on services `cost`).
 *
 * @example
 * diffFields(a, b, diffOptionsFor('services'));
 */
export function diffOptionsFor(entity: EntityType): DiffOptions {
  const ignore = entityDescriptor(entity).volatileFields;
  return ignore.length > 0 ? { ignore } : {};
}

/**
 * The synced content of a record: the fields its schema knows, less the ones ServiceTitan computes
 * by itself ({@link volatileFields} and the entity's own), with a missing field as `null`. Two
 * records with the same synced content differ in nothing {@link diffFields} would report.
 *
 * @example
 * syncedContent('materials', { id: 1, price: 2, modifiedOn: 'x', sortOrder: 5 }); // { id: 1, price: 2, … }
 */
export function syncedContent(entity: EntityType, record: StFields): Record<string, unknown> {
  return stContent(entity, record, { exclude: [...ignoredFields(diffOptionsFor(entity))] });
}

/**
 * SHA-256 (hex) of {@link syncedContent}: what a drift check compares item by item, the same on
 * ServiceTitan's record and on the local row's `data`.
 *
 * @example
 * syncedHash('materials', stRecord) === syncedHash('materials', row.data); // in step
 */
export function syncedHash(entity: EntityType, record: StFields): string {
  return stContentHash(entity, record, { exclude: [...ignoredFields(diffOptionsFor(entity))] });
}
