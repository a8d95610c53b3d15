import { createHash } from 'node:crypto';
import type { z } from 'zod';
import { type EntityDescriptorOf, type EntityType, mapEntities } from '../entities/index';

/**
 * Per-entity maps of the ST schemas, and the content form used for hashing. The maps are
 * derived from the entity registry's descriptors.
 *
 * Unknown fields: a record schema keeps unknown **top-level** fields as they came (the engine
 * stores the whole record as jsonb, and ST adds fields over time), while nested value objects
 * drop them. The content hash covers the **known** fields only, so a field ST starts sending
 * tomorrow does not make every record look changed; it enters the hash when the schema learns
 * it.
 */

type StSchemas<K extends 'record' | 'create' | 'update'> = {
  readonly [E in EntityType]: EntityDescriptorOf<E>['st'][K];
};

/**
 * The response record schema of each entity (list, get and export rows).
 *
 * @example
 * const result = stRecordSchemas.materials.safeParse(row);
 */
export const stRecordSchemas = mapEntities((d) => d.st.record) as StSchemas<'record'>;

/** The create (`POST`) body schema of each entity. */
export const stCreateSchemas = mapEntities((d) => d.st.create) as StSchemas<'create'>;

/** The update (`PATCH`) body schema of each entity. */
export const stUpdateSchemas = mapEntities((d) => d.st.update) as StSchemas<'update'>;

/** The parsed ST record of entity `E`. */
export type StRecordOf<E extends EntityType> = z.infer<(typeof stRecordSchemas)[E]>;
/** The create body of entity `E`. */
export type StCreateOf<E extends EntityType> = z.input<(typeof stCreateSchemas)[E]>;
/** The PATCH body of entity `E`. */
export type StUpdateOf<E extends EntityType> = z.input<(typeof stUpdateSchemas)[E]>;
/** Any parsed ST pricebook record. */
export type StRecord = StRecordOf<EntityType>;

/** The fields each record schema knows (the fields of CONTRACT.md §4), in schema order. */
export const stRecordFields: Record<EntityType, readonly string[]> = mapEntities((d) =>
  Object.keys(d.st.record.shape),
);

/** The fields a PATCH may carry for each entity (write-only fields included). */
export const stWritableFields: Record<EntityType, readonly string[]> = mapEntities((d) =>
  Object.keys(d.st.update.shape),
);

/**
 * JSON with object keys sorted at every level and `undefined` members dropped: the same value
 * always gives the same string.
 *
 * @example
 * canonicalJson({ b: 1, a: [{ d: 2, c: 3 }] }); // '{"a":[{"c":3,"d":2}],"b":1}'
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) {
    const member = (value as Record<string, unknown>)[key];
    if (member !== undefined) out[key] = sortKeys(member);
  }
  return out;
}

export interface StContentOptions {
  /** Known fields to leave out as well (e.g. `modifiedOn` to ignore touch-only saves). */
  exclude?: readonly string[];
}

/**
 * The part of a parsed record that its content hash covers: the known fields only.
 *
 * @example
 * stContent('materials', material, { exclude: ['modifiedOn'] });
 */
export function stContent(
  entity: EntityType,
  record: Readonly<Record<string, unknown>>,
  options: StContentOptions = {},
): Record<string, unknown> {
  const exclude = new Set(options.exclude ?? []);
  const out: Record<string, unknown> = {};
  for (const field of stRecordFields[entity]) {
    if (!exclude.has(field)) out[field] = record[field] ?? null;
  }
  return out;
}

/**
 * SHA-256 (hex) of the canonical JSON of {@link stContent}. Stable across key order, unknown
 * fields and the timestamp/decimal spellings the schemas normalise.
 *
 * @example
 * const hash = stContentHash('materials', StMaterial.parse(row));
 */
export function stContentHash(
  entity: EntityType,
  record: Readonly<Record<string, unknown>>,
  options: StContentOptions = {},
): string {
  return createHash('sha256')
    .update(canonicalJson(stContent(entity, record, options)))
    .digest('hex');
}
