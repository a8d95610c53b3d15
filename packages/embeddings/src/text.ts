import { createHash } from 'node:crypto';
import type { EntityType } from '@pricebook/contracts';

/** What the embedded text is made of; the row's typed columns, and its categories' path. */
export interface EmbeddableRow {
  /** `display_name` of an item, `name` of a category. */
  name: string | null;
  description: string | null;
  /** Items only. */
  code: string | null;
  /** Category names from the root down, e.g. `['Plumbing', 'Water Heaters']`; one path per category. */
  categoryPaths: readonly (readonly string[])[];
}

/** Longer texts are cut: a pricebook description past this says nothing a search needs. */
export const maxEmbeddedChars = 4_000;

const clean = (value: string | null) => (value ?? '').replace(/\s+/g, ' ').trim();

/**
 * The one definition of an item's embedded text: name, code, category paths and description,
 * one per line, empty parts left out. Change it and every row is embedded again by the next
 * backfill, because {@link embeddingHash} changes with it.
 *
 * @example
 * embeddingText('materials', { name: '1/2" Copper Elbow', code: 'CU-E-12', description: null,
 *   categoryPaths: [['Plumbing', 'Fittings']] });
 * // '1/2" Copper Elbow\nCode: CU-E-12\nCategory: Plumbing > Fittings'
 */
export function embeddingText(entity: EntityType, row: EmbeddableRow): string {
  const lines = [clean(row.name)];
  const code = clean(row.code);
  if (code !== '') lines.push(`Code: ${code}`);
  const paths = row.categoryPaths.map((path) => path.map(clean).filter(Boolean).join(' > ')).filter(Boolean);
  if (paths.length > 0) {
    lines.push(`${entity === 'categories' ? 'Parent' : 'Category'}: ${paths.join('; ')}`);
  }
  const description = clean(row.description);
  if (description !== '') lines.push(description);
  return lines.filter(Boolean).join('\n').slice(0, maxEmbeddedChars);
}

/**
 * Identifies an embedding: the text and the model (and width) that turned it into a vector. A
 * row whose stored hash equals this one is not embedded again.
 *
 * @example
 * embeddingHash('Copper elbow', { model: 'text-embedding-3-small', dimensions: 1536 });
 */
export function embeddingHash(text: string, model: { model: string; dimensions: number }): string {
  return createHash('sha256').update(`${model.model}\n${model.dimensions}\n${text}`).digest('base64url');
}
