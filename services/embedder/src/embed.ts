import { type EntityType, entityTables } from '@pricebook/contracts';
import { type EntityManager, type Orm, withWriteContext } from '@pricebook/db';
import { type Embedder, embeddingHash } from '@pricebook/embeddings';
import { toSql } from 'pgvector';
import { query } from './query';
import type { EmbeddingCandidate } from './rows';

/** What one pass did. */
export interface EmbedCounts {
  /** Vectors written. */
  embedded: number;
  /** Rows whose text and model had not changed since their vector was made. */
  unchanged: number;
  /** Rows changed again while their vector was being made: the next event embeds them. */
  stale: number;
}

export const noCounts = (): EmbedCounts => ({ embedded: 0, unchanged: 0, stale: 0 });

export function addCounts(a: EmbedCounts, b: EmbedCounts): EmbedCounts {
  return {
    embedded: a.embedded + b.embedded,
    unchanged: a.unchanged + b.unchanged,
    stale: a.stale + b.stale,
  };
}

/** The width of the embedding columns, as the database has them (1536 unless a migration changed it). */
export async function columnDimensions(em: EntityManager): Promise<number> {
  const rows = await query<{ dims: number }>(
    em,
    `select atttypmod as dims from pg_attribute
     where attrelid = ?::regclass and attname = 'embedding'`,
    [entityTables.materials],
  );
  return rows[0]?.dims ?? 0;
}

/**
 * Embeds the candidates whose text (or model) changed, and writes each vector with its hash
 * under the `embedding` write origin, only if the row is still at the version that was read:
 * a row edited meanwhile keeps its old vector until the event of that edit comes.
 *
 * @example
 * await embedCandidates({ orm, embedder, dimensions: 1536 }, { tenant: '42', entity: 'materials', candidates });
 */
export async function embedCandidates(
  deps: { orm: Orm; embedder: Embedder; dimensions: number; signal?: AbortSignal },
  args: { tenant: string; entity: EntityType; candidates: readonly EmbeddingCandidate[] },
): Promise<EmbedCounts> {
  const model = { model: deps.embedder.model, dimensions: deps.dimensions };
  const todo = args.candidates
    .map((c) => ({ ...c, hash: embeddingHash(c.text, model) }))
    .filter((c) => c.hash !== c.embeddingHash);
  const unchanged = args.candidates.length - todo.length;
  if (todo.length === 0) return { embedded: 0, unchanged, stale: 0 };
  const vectors = await deps.embedder.embed(
    todo.map((c) => c.text),
    deps.signal,
  );
  const written = await withWriteContext(deps.orm, { origin: 'embedding', actor: 'embedder' }, (em) =>
    query<{ id: string }>(
      em,
      `update ${entityTables[args.entity]} t
       set embedding = v.embedding::vector, embedding_hash = v.hash
       from unnest(?::uuid[], ?::text[], ?::text[], ?::int[]) as v(id, embedding, hash, version)
       where t.tenant_id = ? and t.id = v.id and t.version = v.version
       returning t.id`,
      [
        todo.map((c) => c.id),
        vectors.map((v) => toSql(v) as string),
        todo.map((c) => c.hash),
        todo.map((c) => c.version),
        args.tenant,
      ],
    ),
  );
  return { embedded: written.length, unchanged, stale: todo.length - written.length };
}
