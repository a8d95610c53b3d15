import { toSql } from 'pgvector';
import { beforeEach, describe, expect, it } from 'vitest';
import { embeddingDimensions } from './entities/index';
import { auditRows, copperPipe, databaseForFile, outboxEvents, seedSyncedMaterial } from './test-support';

const t = databaseForFile();
let id: string;

beforeEach(async () => {
  id = await seedSyncedMaterial(t, copperPipe);
});

const vector = (seed: number) =>
  toSql(Array.from({ length: embeddingDimensions }, (_, i) => ((i + seed) % 5) / 5));

const row = async () =>
  (
    await t.sql<{
      version: number;
      updated_at: string;
      sync_status: string;
      embedding_hash: string | null;
      price: string;
    }>(
      'select version, updated_at::text, sync_status, embedding_hash, price::text from pricebook_materials where id = ?',
      [id],
    )
  )[0];

describe('the embedding origin', () => {
  it('writes the vector and its hash and nothing else: no version, no audit row, no event', async () => {
    const before = await row();
    await t.tx(
      (em) =>
        em.execute('update pricebook_materials set embedding = ?, embedding_hash = ? where id = ?', [
          vector(1),
          'h1',
          id,
        ]),
      { origin: 'embedding' },
    );
    const after = await row();
    expect(after).toEqual({ ...before, embedding_hash: 'h1' });
    expect(await auditRows(t)).toEqual([]);
    expect(await outboxEvents(t)).toEqual([]);
  });

  it('cannot change anything beside the embedding', async () => {
    const before = await row();
    await t.tx(
      (em) =>
        em.execute('update pricebook_materials set price = 99, embedding_hash = ? where id = ?', ['h2', id]),
      { origin: 'embedding' },
    );
    expect(await row()).toEqual({ ...before, embedding_hash: 'h2' });
  });

  it('cannot insert a row', async () => {
    await expect(
      t.tx((em) => em.execute(`insert into pricebook_materials (tenant_id, data) values (42, '{"id": 1}')`), {
        origin: 'embedding',
      }),
    ).rejects.toThrow(/only updates the embedding/);
  });
});
