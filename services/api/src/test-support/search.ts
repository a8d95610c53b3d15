import { embeddingText } from '@pricebook/embeddings';
import type { FakeEmbeddings } from '@pricebook/testing';
import { toSql } from 'pgvector';
import type { Harness } from './index';

/**
 * Gives the tenant's materials the vectors the embedder would write with the fake provider:
 * the same text definition, the fake's vector of it, the `embedding` write origin.
 */
export async function embedMaterials(h: Harness, tenantId: string, fake: FakeEmbeddings): Promise<void> {
  const rows = await h.sql<{
    id: string;
    display_name: string | null;
    code: string | null;
    description: string | null;
  }>('select id, display_name, code, description from pricebook_materials where tenant_id = ?', [tenantId]);
  await h.orm.em.fork().transactional(async (em) => {
    await em.execute(`select set_config('pricebook.origin', 'embedding', true)`);
    for (const r of rows) {
      const text = embeddingText('materials', {
        name: r.display_name,
        code: r.code,
        description: r.description,
        categoryPaths: [],
      });
      await em.execute(
        'update pricebook_materials set embedding = ?::vector, embedding_hash = ? where id = ?',
        [toSql(fake.vectorOf(text)), 'test', r.id],
      );
    }
  });
}
