import { z } from 'zod';
import { EntityType } from '../entities';
import { SafeText } from '../limits';
import { pageLimit } from './page';
import { PricebookItem } from './pricebook';

const item = {
  id: '0b8e4d1a-5c6f-4e2b-8d9a-7c3b2a1f0e9d',
  stId: 48213,
  syncStatus: 'synced',
  hasConflict: false,
  localModifiedAt: null,
  lastSyncedAt: '2025-12-06T02:00:12.000Z',
  deletedAt: null,
  version: 3,
  record: {
    id: 48213,
    code: 'CU-EL-12',
    displayName: 'Copper elbow 1/2"',
    description: '90 degree sweat',
    price: 3.4,
  },
};

/** How `GET /api/pricebook/search` ranks: PostgreSQL full text, vector distance, or both fused. */
export const SearchMode = z.enum(['text', 'semantic', 'hybrid']).meta({ id: 'SearchMode' });
export type SearchMode = z.infer<typeof SearchMode>;

/** The query of `GET /api/pricebook/search`. */
export const PricebookSearchQuery = z.object({
  q: SafeText.trim()
    .min(1)
    .max(200)
    .meta({
      param: { name: 'q', in: 'query' },
      description: 'What to look for: words for `text`, any phrasing for `semantic` and `hybrid`',
      example: 'copper elbow 1/2',
    }),
  entity: EntityType.optional().meta({
    param: { name: 'entity', in: 'query' },
    description: 'Only this entity (default: every entity)',
  }),
  mode: SearchMode.default('hybrid').meta({
    param: { name: 'mode', in: 'query' },
    description:
      '`text`: full-text match; `semantic`: nearest by meaning; `hybrid` (default): both, fused by reciprocal ' +
      'rank. Without an embeddings provider, `semantic` and `hybrid` answer from full text with a `note`.',
  }),
  limit: pageLimit(20, 100),
});
export type PricebookSearchQuery = z.infer<typeof PricebookSearchQuery>;

/** One search result. */
export const PricebookSearchHit = z
  .object({
    entity: EntityType,
    score: z.number().meta({
      description:
        'Higher is better, comparable within one answer only: `ts_rank_cd` (text), cosine similarity (semantic), ' +
        'the reciprocal-rank sum (hybrid)',
    }),
    textRank: z
      .number()
      .int()
      .nullable()
      .meta({ description: 'Place in the full-text list (1 = first), if in it' }),
    semanticRank: z
      .number()
      .int()
      .nullable()
      .meta({ description: 'Place in the nearest-by-meaning list, if in it' }),
    item: PricebookItem,
  })
  .meta({ id: 'PricebookSearchHit' });
export type PricebookSearchHit = z.infer<typeof PricebookSearchHit>;

/** `GET /api/pricebook/search`. */
export const PricebookSearchResponse = z
  .object({
    success: z.literal(true),
    /** The mode that produced the answer: `text` when a vector search was asked for and could not run. */
    mode: SearchMode,
    requestedMode: SearchMode,
    note: z.string().optional().meta({ description: 'Why the answer is not in the requested mode' }),
    items: z.array(PricebookSearchHit),
  })
  .meta({
    id: 'PricebookSearchResponse',
    example: {
      success: true,
      mode: 'hybrid',
      requestedMode: 'hybrid',
      items: [{ entity: 'materials', score: 0.0328, textRank: 1, semanticRank: 1, item }],
    },
  });
export type PricebookSearchResponse = z.infer<typeof PricebookSearchResponse>;

/** The query of `GET /api/pricebook/{entity}/{id}/similar`. */
export const PricebookSimilarQuery = z.object({
  limit: pageLimit(10, 50),
  maxDistance: z.coerce
    .number()
    .min(0)
    .max(2)
    .optional()
    .meta({
      param: { name: 'maxDistance', in: 'query' },
      description: 'Only records at most this cosine distance away (0 = same direction, 2 = opposite)',
      example: 0.2,
    }),
});
export type PricebookSimilarQuery = z.infer<typeof PricebookSimilarQuery>;

/** One likely duplicate. */
export const PricebookSimilarHit = z
  .object({
    distance: z
      .number()
      .meta({ description: 'Cosine distance to the record asked about; smaller is nearer' }),
    item: PricebookItem,
  })
  .meta({ id: 'PricebookSimilarHit' });
export type PricebookSimilarHit = z.infer<typeof PricebookSimilarHit>;

/** `GET /api/pricebook/{entity}/{id}/similar`. */
export const PricebookSimilarResponse = z
  .object({
    success: z.literal(true),
    note: z
      .string()
      .optional()
      .meta({ description: 'Why the list is empty, when the record has no embedding yet' }),
    items: z.array(PricebookSimilarHit),
  })
  .meta({
    id: 'PricebookSimilarResponse',
    example: {
      success: true,
      items: [{ distance: 0.08, item: { ...item, id: '5d2c1b0a-9e8f-4a7b-8c6d-1e2f3a4b5c6d' } }],
    },
  });
export type PricebookSimilarResponse = z.infer<typeof PricebookSimilarResponse>;
