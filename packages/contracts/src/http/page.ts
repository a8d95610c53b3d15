import { z } from 'zod';
import { SafeText } from '../limits';

/**
 * A page size in a query string (`limit`, or `planLimit`…): a whole number from 1 to `max`,
 * `fallback` when absent.
 *
 * @example
 * z.object({ limit: pageLimit(20) });
 */
export const pageLimit = (fallback: number, max = 100, name = 'limit') =>
  z.coerce
    .number()
    .int()
    .min(1)
    .max(max)
    .default(fallback)
    .meta({ param: { name, in: 'query' }, example: fallback });

/**
 * Where a page starts: the `nextCursor` of the previous page (`cursor`, or `planCursor`…).
 *
 * @example
 * z.object({ cursor: pageCursor() });
 */
export const pageCursor = (name = 'cursor') =>
  SafeText.min(1)
    .max(400)
    .optional()
    .meta({ param: { name, in: 'query' }, description: 'The `nextCursor` of the previous page' });

/** The page query of every list: 50 by default, at most 100; lists extend it with their filters. */
export const PageQuery = z.object({ limit: pageLimit(50), cursor: pageCursor() });
export type PageQuery = z.infer<typeof PageQuery>;

/** The `page` of every list response. */
export const Page = z
  .object({
    limit: z.number().int(),
    nextCursor: z
      .string()
      .nullable()
      .meta({ description: 'Pass as `cursor` for the next page; null at the end' }),
  })
  .meta({ id: 'Page' });
export type Page = z.infer<typeof Page>;
