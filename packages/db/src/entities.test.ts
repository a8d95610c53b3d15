import { describe, expect, it } from 'vitest';
import { embeddingDimensions, PricebookMaterial, SyncLog } from './entities/index';
import { databaseForFile } from './test-support';
import { withWriteContext } from './write-context';

const t = databaseForFile();

describe('entities through the ORM', () => {
  it('refuse the global EntityManager', async () => {
    await expect(t.orm.em.find(SyncLog, {})).rejects.toThrow(/global EntityManager/);
  });

  it('round-trip a pricebook row, its embedding, and what the triggers decided', async () => {
    const embedding = Array.from({ length: embeddingDimensions }, (_, i) => (i % 7) / 8);
    const id = await withWriteContext(t.orm, { origin: 'st' }, async (em) => {
      const row = em.create(PricebookMaterial, {
        tenantId: '9',
        stId: '77',
        data: { id: 77, code: 'E-1', price: 4.5, categories: [1] },
        embedding,
      });
      await em.flush();
      expect(row.syncStatus).toBe('synced');
      return row.id;
    });

    const em = t.orm.em.fork();
    const loaded = await em.findOneOrFail(PricebookMaterial, id);
    expect(loaded).toMatchObject({ code: 'E-1', price: 4.5, categoryIds: ['1'], version: 1, tenantId: '9' });
    expect(loaded.embedding).toEqual(embedding);

    // A local edit through the ORM is a local edit like any other.
    loaded.price = 5;
    await em.flush();
    // The ORM does not read trigger-maintained columns back after an update.
    await em.refresh(loaded);
    expect(loaded.syncStatus).toBe('pending_sync');
    expect(loaded.version).toBe(2);
    expect(loaded.localModifiedAt).toBeInstanceOf(Date);
    const changes = await t.sql<{ origin: string; changed_fields: string[] }>(
      `select origin, changed_fields from pricebook_changes where record_id = ? order by seq`,
      [id],
    );
    expect(changes).toEqual([
      { origin: 'st', changed_fields: ['categories', 'code', 'id', 'price'] },
      { origin: 'local', changed_fields: ['price'] },
    ]);
  });

  it('see the pending status a trigger gives a row created locally', async () => {
    const em = t.orm.em.fork();
    const row = em.create(PricebookMaterial, { tenantId: '9', data: { code: 'LOCAL-1' } });
    await em.flush();
    expect(row.syncStatus).toBe('pending_sync');
    await em.refresh(row);
    expect(row.localModifiedAt).toBeInstanceOf(Date);
  });

  it('write a sync log with its defaults', async () => {
    const em = t.orm.em.fork();
    const log = em.create(SyncLog, { tenantId: '9', syncType: 'full', direction: 'from_st' });
    await em.flush();
    const again = await t.orm.em.fork().findOneOrFail(SyncLog, log.id);
    expect(again).toMatchObject({ status: 'queued', recordsFetched: 0, dryRun: false, entityStats: {} });
  });
});
