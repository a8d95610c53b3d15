import type { Knex } from '@mikro-orm/postgresql';
import {
  type EntityType,
  entityTables,
  entityTypes,
  type PricebookSearchQuery,
  type SearchMode,
} from '@pricebook/contracts';
import {
  type EntityManager,
  type LocalRow,
  localRowColumns,
  searchConfig,
  searchDocumentSql,
  toLocalRow,
} from '@pricebook/db';
import type { Embedder } from '@pricebook/embeddings';
import { AppError } from '@pricebook/errors';
import type { Logger } from '@pricebook/logger';
import { toSql } from 'pgvector';

/** Reciprocal rank fusion's constant: a place `r` in a list scores `1 / (k + r)`. */
export const rrfK = 60;

/** How many nearest neighbours the HNSW scan looks at (pgvector's default is 40). */
const efSearch = 100;

interface Ranked {
  entity: EntityType;
  id: string;
  score: number;
}

export interface SearchHit {
  entity: EntityType;
  score: number;
  textRank: number | null;
  semanticRank: number | null;
  item: LocalRow;
}

export interface SearchAnswer {
  mode: SearchMode;
  requestedMode: SearchMode;
  note?: string;
  items: SearchHit[];
}

type RawRow = Parameters<typeof toLocalRow>[0];

/** Real bind parameters on the request's connection and transaction: a vector is not escaped into the SQL. */
async function rows<T>(em: EntityManager, text: string, params: readonly unknown[]): Promise<T[]> {
  const trx = em.getTransactionContext<Knex.Transaction>();
  const result: unknown = await (trx ?? em.getKnex()).raw(text, [...params] as Knex.RawBinding[]);
  const out = typeof result === 'object' && result !== null ? Reflect.get(result, 'rows') : undefined;
  return Array.isArray(out) ? (out as T[]) : [];
}

const entitiesOf = (entity: EntityType | undefined) => (entity ? [entity] : [...entityTypes]);

/**
 * The query as `websearch_to_tsquery` should read it. A dash standing alone between words, as in
 * an item's name pasted whole ("Tune-Up - Air Conditioner"), is punctuation there, not the
 * negation of the next word it would otherwise be; `-word` still excludes a word.
 *
 * @example
 * textQuery('Tune-Up - Air Conditioner'); // 'Tune-Up Air Conditioner'
 */
export function textQuery(q: string): string {
  return q
    .replace(/(^|\s)[-\u2013\u2014]+(?=\s|$)/g, '$1')
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * Full-text matches, best first, over each table's GIN-indexed document (`websearch_to_tsquery`:
 * every word must match; `"quoted phrases"`, `or` and `-word` work as on a search engine).
 */
async function textList(em: EntityManager, tenantId: string, q: PricebookSearchQuery): Promise<Ranked[]> {
  const lists = await Promise.all(
    entitiesOf(q.entity).map(async (entity) => {
      const found = await rows<{ id: string; score: number }>(
        em,
        `select id, ts_rank_cd(${searchDocumentSql(entity)}, query) as score
           from ${entityTables[entity]}, websearch_to_tsquery('${searchConfig}'::regconfig, ?) query
          where tenant_id = ? and deleted_at is null and ${searchDocumentSql(entity)} @@ query
          order by score desc, id limit ?`,
        [textQuery(q.q), tenantId, q.limit],
      );
      return found.map((r) => ({ entity, id: r.id, score: Number(r.score) }));
    }),
  );
  return lists
    .flat()
    .sort((a, b) => b.score - a.score)
    .slice(0, q.limit);
}

/**
 * Nearest rows by cosine distance through each table's HNSW index. The tenant filter is applied
 * during the index scan (`hnsw.iterative_scan`), so a small tenant beside a large one still gets
 * its `limit` rows.
 */
async function vectorList(
  em: EntityManager,
  tenantId: string,
  vector: number[],
  args: { entities: readonly EntityType[]; limit: number; excludeId?: string; maxDistance?: number },
): Promise<Ranked[]> {
  const literal = toSql(vector) as string;
  return em.transactional(async (tx) => {
    await rows(
      tx,
      `select set_config('hnsw.iterative_scan', 'strict_order', true), set_config('hnsw.ef_search', ?, true)`,
      [String(Math.max(efSearch, args.limit))],
    );
    // One connection (the transaction's settings): the tables are asked in turn.
    const lists: Ranked[][] = [];
    for (const entity of args.entities) {
      const found = await rows<{ id: string; distance: number }>(
        tx,
        `select id, embedding <=> ?::vector as distance
           from ${entityTables[entity]}
          where tenant_id = ? and deleted_at is null and embedding is not null
            and (?::uuid is null or id <> ?::uuid)
          order by embedding <=> ?::vector limit ?`,
        [literal, tenantId, args.excludeId ?? null, args.excludeId ?? null, literal, args.limit],
      );
      lists.push(
        found
          .map((r) => ({ entity, id: r.id, score: Number(r.distance) }))
          .filter((r) => args.maxDistance === undefined || r.score <= args.maxDistance),
      );
    }
    return lists
      .flat()
      .sort((a, b) => a.score - b.score)
      .slice(0, args.limit);
  });
}

/** The rows of the ranked ids, in the ranking's order. */
async function loadRows(
  em: EntityManager,
  tenantId: string,
  ranked: readonly Ranked[],
): Promise<Map<string, LocalRow>> {
  const byEntity = new Map<EntityType, string[]>();
  for (const r of ranked) byEntity.set(r.entity, [...(byEntity.get(r.entity) ?? []), r.id]);
  const found = new Map<string, LocalRow>();
  for (const [entity, ids] of byEntity) {
    const raw = await rows<RawRow>(
      em,
      `select ${localRowColumns} from ${entityTables[entity]} where tenant_id = ? and id = any(?::uuid[])`,
      [tenantId, ids],
    );
    for (const row of raw) found.set(`${entity}:${row.id}`, toLocalRow(row));
  }
  return found;
}

const keyOf = (r: { entity: EntityType; id: string }) => `${r.entity}:${r.id}`;

/**
 * Reciprocal rank fusion of two best-first lists: each row scores the sum of `1 / (k + rank)`
 * over the lists it is in, so a row both lists agree on comes first.
 *
 * @example
 * fuse(textHits, vectorHits); // [{ entity, id, score, textRank, semanticRank }, …]
 */
export function fuse(text: readonly Ranked[], semantic: readonly Ranked[], limit: number) {
  const fused = new Map<string, Ranked & { textRank: number | null; semanticRank: number | null }>();
  const add = (list: readonly Ranked[], which: 'textRank' | 'semanticRank') => {
    list.forEach((r, i) => {
      const key = keyOf(r);
      const entry = fused.get(key) ?? {
        entity: r.entity,
        id: r.id,
        score: 0,
        textRank: null,
        semanticRank: null,
      };
      entry.score += 1 / (rrfK + i + 1);
      entry[which] = i + 1;
      fused.set(key, entry);
    });
  };
  add(text, 'textRank');
  add(semantic, 'semanticRank');
  return [...fused.values()].sort((a, b) => b.score - a.score || a.id.localeCompare(b.id)).slice(0, limit);
}

/** The query's vector, or why there is none (the answer then comes from full text). */
async function queryVector(
  embedder: Embedder | undefined,
  q: string,
  columnDimensions: () => Promise<number>,
  log: Logger,
): Promise<{ vector: number[] } | { note: string }> {
  if (!embedder) {
    return { note: 'No embeddings provider is configured: the results come from full-text search only.' };
  }
  try {
    const [vector] = await embedder.embed([q]);
    const width = await columnDimensions();
    if (!vector || vector.length !== width) {
      log.error(
        { provided: vector?.length, column: width },
        'embeddings provider returned vectors of the wrong width',
      );
      return {
        note: `The embeddings model returns ${vector?.length ?? 0} dimensions, not ${width}: the results come from full-text search only.`,
      };
    }
    return { vector };
  } catch (err) {
    if (!(err instanceof AppError) || err.kind !== 'infrastructure') throw err;
    log.warn({ err }, 'embeddings provider failed; searching full text only');
    return { note: 'The embeddings provider did not answer: the results come from full-text search only.' };
  }
}

/**
 * `GET /api/pricebook/search`: full text, nearest by meaning, or both fused; semantic and
 * hybrid fall back to full text (with a note) when the query cannot be embedded.
 *
 * @example
 * const answer = await searchPricebook({ em, fork, embedder, log, columnDimensions }, '1001', { q: 'elbow', mode: 'hybrid', limit: 20 });
 */
export async function searchPricebook(
  deps: {
    em: EntityManager;
    /** A second entity manager for the vector list's transaction, which runs beside the full-text list. */
    fork: () => EntityManager;
    embedder: Embedder | undefined;
    log: Logger;
    columnDimensions: () => Promise<number>;
  },
  tenantId: string,
  q: PricebookSearchQuery,
): Promise<SearchAnswer> {
  let mode: SearchMode = q.mode;
  let note: string | undefined;
  let vector: number[] | undefined;
  // The full-text list does not need the query's vector: it runs while the query is embedded.
  let text = mode === 'semantic' ? undefined : textList(deps.em, tenantId, q);
  if (mode !== 'text') {
    const embedded = await queryVector(deps.embedder, q.q, deps.columnDimensions, deps.log).catch(
      async (err: unknown) => {
        await text?.catch(() => undefined);
        throw err;
      },
    );
    if ('note' in embedded) {
      note = embedded.note;
      mode = 'text';
      text ??= textList(deps.em, tenantId, q);
    } else vector = embedded.vector;
  }
  const semantic =
    vector === undefined
      ? []
      : await vectorList(deps.fork(), tenantId, vector, { entities: entitiesOf(q.entity), limit: q.limit });
  const textHits = (await text) ?? [];
  const ranked =
    mode === 'hybrid'
      ? fuse(textHits, semantic, q.limit)
      : mode === 'semantic'
        ? semantic.map((r, i) => ({ ...r, score: 1 - r.score, textRank: null, semanticRank: i + 1 }))
        : textHits.map((r, i) => ({ ...r, textRank: i + 1, semanticRank: null }));
  const found = await loadRows(deps.em, tenantId, ranked);
  const items = ranked.flatMap((r) => {
    const item = found.get(keyOf(r));
    return item
      ? [{ entity: r.entity, score: r.score, textRank: r.textRank, semanticRank: r.semanticRank, item }]
      : [];
  });
  return { mode, requestedMode: q.mode, ...(note ? { note } : {}), items };
}

/**
 * `GET /api/pricebook/{entity}/{id}/similar`: the records of the same entity nearest to this
 * one's stored vector (itself left out): likely duplicates. No provider is needed.
 *
 * @example
 * const { items } = await similarRecords(em, '1001', 'materials', row.id, { limit: 10 });
 */
export async function similarRecords(
  em: EntityManager,
  tenantId: string,
  entity: EntityType,
  id: string,
  options: { limit: number; maxDistance?: number },
): Promise<{ note?: string; items: { distance: number; item: LocalRow }[] }> {
  const [own] = await rows<{ embedding: string | null }>(
    em,
    `select embedding::text as embedding from ${entityTables[entity]} where tenant_id = ? and id = ?::uuid`,
    [tenantId, id],
  );
  if (!own?.embedding) {
    return { note: 'This record has no embedding yet: nothing to compare it with.', items: [] };
  }
  const vector = JSON.parse(own.embedding) as number[];
  const ranked = await vectorList(em, tenantId, vector, {
    entities: [entity],
    limit: options.limit,
    excludeId: id,
    ...(options.maxDistance !== undefined ? { maxDistance: options.maxDistance } : {}),
  });
  const found = await loadRows(em, tenantId, ranked);
  return {
    items: ranked.flatMap((r) => {
      const item = found.get(keyOf(r));
      return item ? [{ distance: r.score, item }] : [];
    }),
  };
}

/** The width of the embedding columns, read once. */
export function columnDimensionsOf(em: () => EntityManager): () => Promise<number> {
  let width: Promise<number> | undefined;
  return () => {
    width ??= rows<{ dims: number }>(
      em(),
      `select atttypmod as dims from pg_attribute where attrelid = ?::regclass and attname = 'embedding'`,
      [entityTables.materials],
    ).then(
      (r) => r[0]?.dims ?? 0,
      (err: unknown) => {
        width = undefined;
        throw err;
      },
    );
    return width;
  };
}
