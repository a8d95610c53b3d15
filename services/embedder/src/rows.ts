import { type EntityType, entityDescriptor, entityTables } from '@pricebook/contracts';
import type { EntityManager } from '@pricebook/db';
import { type EmbeddableRow, embeddingText } from '@pricebook/embeddings';
import { query } from './query';

/** A pricebook row as the embedder reads it: what its text is made of, and what guards the write. */
export interface EmbeddingCandidate {
  id: string;
  version: number;
  embeddingHash: string | null;
  text: string;
}

interface RawRow {
  id: string;
  version: number;
  embedding_hash: string | null;
  name: string | null;
  description: string | null;
  code: string | null;
  category_ids: string[] | null;
}

interface CategoryNode {
  name: string | null;
  parentId: string | null;
}

/** A tenant's categories by ServiceTitan id, to spell out an item's category path. */
export class CategoryTree {
  constructor(private readonly nodes: ReadonlyMap<string, CategoryNode>) {}

  static async load(em: EntityManager, tenant: string): Promise<CategoryTree> {
    const rows = await query<{ st_id: string; name: string | null; parent_id: string | null }>(
      em,
      `select st_id::text, name, parent_id::text from ${entityTables.categories}
       where tenant_id = ? and st_id is not null and deleted_at is null`,
      [tenant],
    );
    return new CategoryTree(new Map(rows.map((r) => [r.st_id, { name: r.name, parentId: r.parent_id }])));
  }

  /** Names from the root down to `stId` (included); a cycle or a missing parent ends the walk. */
  path(stId: string): string[] {
    const names: string[] = [];
    const seen = new Set<string>();
    let at: string | null = stId;
    while (at !== null && !seen.has(at)) {
      seen.add(at);
      const node = this.nodes.get(at);
      if (!node) break;
      if (node.name) names.unshift(node.name);
      at = node.parentId;
    }
    return names;
  }
}

function columnsOf(entity: EntityType): string {
  const categories = entity === 'categories';
  const { categoryFilter } = entityDescriptor(entity);
  const ids = categoryFilter.many
    ? `${categoryFilter.column}::text[]`
    : `array_remove(array[${categoryFilter.column}::text], null)`;
  return [
    'id',
    'version',
    'embedding_hash',
    categories ? 'name' : 'display_name as name',
    'description',
    categories ? 'null::text as code' : 'code',
    `${ids} as category_ids`,
  ].join(', ');
}

function candidateOf(entity: EntityType, row: RawRow, tree: CategoryTree): EmbeddingCandidate {
  const embeddable: EmbeddableRow = {
    name: row.name,
    description: row.description,
    code: row.code,
    categoryPaths: (row.category_ids ?? []).map((id) => tree.path(id)).filter((p) => p.length > 0),
  };
  return {
    id: row.id,
    version: row.version,
    embeddingHash: row.embedding_hash,
    text: embeddingText(entity, embeddable),
  };
}

/**
 * The live rows of `ids` (deleted ones are left out: a deleted item needs no vector).
 *
 * @example
 * const rows = await readCandidates(em, { tenant: '42', entity: 'materials', ids, tree });
 */
export async function readCandidates(
  em: EntityManager,
  args: { tenant: string; entity: EntityType; ids: readonly string[]; tree: CategoryTree },
): Promise<EmbeddingCandidate[]> {
  if (args.ids.length === 0) return [];
  const rows = await query<RawRow>(
    em,
    `select ${columnsOf(args.entity)} from ${entityTables[args.entity]}
     where tenant_id = ? and id = any(?::uuid[]) and deleted_at is null`,
    [args.tenant, args.ids],
  );
  return rows.map((r) => candidateOf(args.entity, r, args.tree));
}

/**
 * One page of a tenant's live rows in id order, after `afterId`: the backfill's walk.
 *
 * @example
 * const page = await readCandidatePage(em, { tenant, entity, afterId: null, limit: 500, tree });
 */
export async function readCandidatePage(
  em: EntityManager,
  args: { tenant: string; entity: EntityType; afterId: string | null; limit: number; tree: CategoryTree },
): Promise<EmbeddingCandidate[]> {
  const rows = await query<RawRow>(
    em,
    `select ${columnsOf(args.entity)} from ${entityTables[args.entity]}
     where tenant_id = ? and deleted_at is null and id > coalesce(?::uuid, '00000000-0000-0000-0000-000000000000'::uuid)
     order by id limit ?`,
    [args.tenant, args.afterId, args.limit],
  );
  return rows.map((r) => candidateOf(args.entity, r, args.tree));
}

/** The tenants that have pricebook rows. */
export async function tenantsWithRows(em: EntityManager): Promise<string[]> {
  const selects = Object.values(entityTables).map((t) => `select distinct tenant_id from ${t}`);
  const rows = await query<{ tenant_id: string }>(
    em,
    `select tenant_id::text from (${selects.join(' union ')}) t order by 1`,
  );
  return rows.map((r) => r.tenant_id);
}
