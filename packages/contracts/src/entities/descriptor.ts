import type { z } from 'zod';

/**
 * How a typed column mirrors the record: `money` is a `numeric(14,4)`, `ids` a `bigint[]` of
 * ids, `idObjects` a `bigint[]` of the `id` of each `{ id, … }` object ST sends (its requests
 * take bare ids).
 */
export type TypedColumnKind = 'text' | 'boolean' | 'integer' | 'bigint' | 'money' | 'ids' | 'idObjects';

/** A typed column of a pricebook table and the record path it mirrors. */
export interface TypedColumn {
  column: string;
  /** Top-level key of the record, or a path for a read-only column derived from a nested value. */
  path: readonly string[];
  kind: TypedColumnKind;
  /** Derived from the record only: a write that sets it to anything else is refused. */
  readOnly?: boolean;
}

/** What ServiceTitan offers for an entity; the engine branches on these, never on a name. */
export interface EntityCapabilities {
  /** Creates can be tagged with `externalData` and found again by it (a safe retried create). */
  externalData: boolean;
  /** The list endpoint takes `ids=` (50 per call); otherwise items are read one by one. */
  idsFilter: boolean;
  /** Part of the bulk `POST`/`PATCH /pricebook` bodies. */
  bulk: boolean;
  /** Has an export feed (`/export/{entity}`) an incremental sync resumes with a token. */
  exportFeed: boolean;
  /**
   * ST shows a deleted item as `active: false` in its export feed, so an inactive row is looked
   * up by id to tell "switched off" from "gone".
   */
  deletionShowsInactive: boolean;
}

/** How the API's `categoryId` filter reads the table: a parent column, or an array of ids. */
export interface CategoryFilter {
  column: string;
  many: boolean;
}

/** Decides whether an item ST holds is the one an earlier create of `local` made. */
export type SameCreate = (
  item: Readonly<Record<string, unknown>>,
  local: Readonly<Record<string, unknown>>,
) => boolean;

/**
 * Everything the engine knows about one entity type. Every per-entity map of the engine is
 * derived from these, so a new entity type is a new descriptor (plus its ST schemas, its
 * migration and the sandbox).
 */
export interface EntityDescriptor<
  T extends string = string,
  R extends z.ZodObject = z.ZodObject,
  C extends z.ZodObject = z.ZodObject,
  U extends z.ZodObject = z.ZodObject,
> {
  /** The entity type: the API path segment, the subject token and the ST path segment. */
  type: T;
  /** The local table (names from the original specification). */
  table: string;
  st: {
    /** The record schema (list, get and export rows). */
    record: R;
    /** The `POST` body schema. */
    create: C;
    /** The `PATCH` body schema. */
    update: U;
    /** The list/get/create/patch/delete path under the pricebook API (`/{path}`, `/{path}/{id}`). */
    path: string;
    /** The export feed path, when `capabilities.exportFeed`. */
    exportPath: string;
  };
  /** The typed columns and the record field each mirrors (the trigger's field list). */
  columns: readonly TypedColumn[];
  /** The typed columns the API's `search` looks in. */
  searchColumns: readonly string[];
  categoryFilter: CategoryFilter;
  capabilities: EntityCapabilities;
  /**
   * Fields ServiceTitan computes on this entity only (beside the merge package's common
   * volatile fields): a difference in them is never an edit and never a conflict.
   */
  volatileFields: readonly string[];
  /** The prices the push brake watches (none for an entity without prices). */
  priceFields: readonly string[];
  /**
   * Without `externalData`, how an earlier create is recognised among ST's items (the only way
   * to make such creates safe to repeat).
   */
  sameCreate?: SameCreate;
}

/**
 * Declares a descriptor, keeping its literal type (the schemas' exact types feed
 * `StRecordOf<E>` and the capability-derived entity unions).
 *
 * @example
 * export const materials = describeEntity({ type: 'materials', table: 'pricebook_materials', … });
 */
export function describeEntity<
  const T extends string,
  R extends z.ZodObject,
  C extends z.ZodObject,
  U extends z.ZodObject,
  const Caps extends EntityCapabilities,
>(
  descriptor: EntityDescriptor<T, R, C, U> & { capabilities: Caps },
): EntityDescriptor<T, R, C, U> & {
  capabilities: Caps;
} {
  return descriptor;
}
