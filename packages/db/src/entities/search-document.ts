import { type EntityType, entityDescriptor } from '@pricebook/contracts';

/** The text search configuration of the full-text index and of every query that should use it. */
export const searchConfig = 'english';

/**
 * The full-text document of a pricebook row, as SQL over its typed columns (the registry's
 * `searchColumns`). The GIN index of each table is built on exactly this expression, and search
 * queries must repeat it verbatim for PostgreSQL to use the index.
 *
 * @example
 * searchDocumentSql('materials');
 * // to_tsvector('english'::regconfig, coalesce("code", '') || ' ' || coalesce("display_name", '') || …)
 */
export function searchDocumentSql(entity: EntityType): string {
  const { searchColumns } = entityDescriptor(entity);
  const text = searchColumns.map((c) => `coalesce("${c}", '')`).join(` || ' ' || `);
  return `to_tsvector('${searchConfig}'::regconfig, ${text})`;
}
