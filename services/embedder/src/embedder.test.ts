import { jetstreamManager } from '@nats-io/jetstream';
import { consumers } from '@pricebook/contracts';
import { forFile, until } from '@pricebook/testing/vitest';
import { fromSql } from 'pgvector';
import { describe, expect, it, vi } from 'vitest';
import { backfill } from './backfill';
import { embedSliceSize } from './handler';
import { silentLog, startEmbedderWorld, tenant } from './test-support';
import { YieldToSyncs } from './yield';

const w = forFile(startEmbedderWorld);

interface Row {
  id: string;
  version: number;
  embedding: string | null;
  embedding_hash: string | null;
}

/** A promise the test settles by hand. */
function latch(): { promise: Promise<void>; resolve(): void } {
  let resolve = () => {};
  const promise = new Promise<void>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

const rowOf = async (id: string) =>
  (
    await w.sql<Row>(
      'select id, version, embedding::text as embedding, embedding_hash from pricebook_materials where id = ?',
      [id],
    )
  )[0];

async function insertMaterial(stId: number, data: Record<string, unknown>): Promise<string> {
  const [row] = await w.sql<{ id: string }>(
    'insert into pricebook_materials (tenant_id, st_id, data) values (?, ?, ?::jsonb) returning id',
    [tenant, stId, JSON.stringify({ id: stId, active: true, ...data })],
  );
  if (!row) throw new Error('no row');
  return row.id;
}

describe('the embedder', () => {
  it('embeds a created item, with its category path, and again only when its text changes', async () => {
    await w.sql('insert into pricebook_categories (tenant_id, st_id, data) values (?, 10, ?::jsonb)', [
      tenant,
      JSON.stringify({ id: 10, name: 'Plumbing', active: true }),
    ]);
    await w.sql('insert into pricebook_categories (tenant_id, st_id, data) values (?, 11, ?::jsonb)', [
      tenant,
      JSON.stringify({ id: 11, name: 'Fittings', parentId: 10, active: true }),
    ]);
    w.startConsumers();
    const id = await insertMaterial(501, {
      code: 'CU-E-12',
      displayName: 'Copper elbow 1/2"',
      description: 'Sweat fitting',
      categories: [11],
    });
    const text = 'Copper elbow 1/2"\nCode: CU-E-12\nCategory: Plumbing > Fittings\nSweat fitting';

    const embedded = await vi.waitFor(
      async () => {
        const row = await rowOf(id);
        if (!row?.embedding) throw new Error('not embedded yet');
        return row;
      },
      { timeout: 20_000, interval: 100 },
    );
    expect(w.fake.texts()).toContain(text);
    expect(fromSql(embedded.embedding)).toHaveLength(1536);
    const vector = fromSql(embedded.embedding) as number[];
    expect(vector[0]).toBeCloseTo(w.fake.vectorOf(text)[0] ?? 0, 5);

    // A price change leaves the text as it was: an event, and no new request.
    const requestsBefore = w.fake.requests.length;
    await w.sql('update pricebook_materials set price = 12.5 where id = ?', [id]);
    // The name changes the text: this one is embedded again.
    await w.sql(`update pricebook_materials set display_name = 'Copper elbow 3/4"' where id = ?`, [id]);
    await vi.waitFor(
      async () => {
        const row = await rowOf(id);
        if (row?.embedding_hash === embedded.embedding_hash) throw new Error('not embedded again yet');
      },
      { timeout: 20_000, interval: 100 },
    );
    const newTexts = w.fake.requests.slice(requestsBefore).flatMap((r) => r.input);
    expect(newTexts).toEqual([text.replace('1/2"', '3/4"')]);
    // Writing a vector is no edit: the row's version moved only with the two updates.
    expect((await rowOf(id))?.version).toBe(embedded.version + 2);
    const audit = await w.sql<{ n: number }>(
      'select count(*)::int as n from pricebook_changes where record_id = ?',
      [id],
    );
    expect(audit[0]?.n).toBe(3);
    await w.stopConsumers();
  });

  it('backfills rows that have no vector, and leaves embedded ones alone', async () => {
    const a = await insertMaterial(601, { code: 'PVC-1', displayName: 'PVC pipe 1"' });
    const b = await insertMaterial(602, { code: 'PVC-2', displayName: 'PVC pipe 2"' });
    const requestsBefore = w.fake.requests.length;
    const first = await backfill(
      { orm: w.orm, embedder: w.embedder, dimensions: 1536, log: silentLog },
      { tenant },
    );
    expect(first.embedded).toBeGreaterThanOrEqual(2);
    expect((await rowOf(a))?.embedding).not.toBeNull();
    expect((await rowOf(b))?.embedding).not.toBeNull();
    expect(w.fake.requests.length).toBeGreaterThan(requestsBefore);

    const again = await backfill(
      { orm: w.orm, embedder: w.embedder, dimensions: 1536, log: silentLog },
      { tenant },
    );
    expect(again.embedded).toBe(0);
    expect(again.unchanged).toBe(first.embedded + first.unchanged);
  });

  it('keeps the vector of a row edited while it was embedded until that edit is embedded', async () => {
    const id = await insertMaterial(701, { code: 'V-1', displayName: 'Ball valve' });
    const slow = {
      model: w.embedder.model,
      embed: async (texts: readonly string[]) => {
        const vectors = await w.embedder.embed(texts);
        // Someone edits the row while its vector is being made.
        await w.sql(`update pricebook_materials set display_name = 'Gate valve' where id = ?`, [id]);
        return vectors;
      },
    };
    const counts = await backfill(
      { orm: w.orm, embedder: slow, dimensions: 1536, log: silentLog },
      { tenant },
    );
    expect(counts.stale).toBeGreaterThanOrEqual(1);
    expect((await rowOf(id))?.embedding).toBeNull();
  });

  it('waits while a sync is at work, and embeds what came meanwhile once it has ended', async () => {
    const [sync] = await w.sql<{ id: string }>(
      `insert into pricebook_sync_log (tenant_id, sync_type, direction, status, started_at)
       values (?, 'full', 'from_st', 'running', now()) returning id`,
      [tenant],
    );
    const gate = new YieldToSyncs({
      orm: w.orm,
      log: silentLog,
      settings: { maxWaitMs: 600_000, pollMs: 50 },
    });
    let looked = 0;
    w.startConsumers({
      yieldToSyncs: {
        wait: (signal) => {
          looked += 1;
          return gate.wait(signal);
        },
      },
    });
    const requestsBefore = w.fake.requests.length;
    const id = await insertMaterial(801, { code: 'WH-50', displayName: 'Water heater 50 gal' });
    const jsm = await jetstreamManager(w.nc);
    const created = () => jsm.consumers.info(consumers.embedCreated.stream, consumers.embedCreated.name);
    await until('the created event to wait for the embedder', async () => (await created()).num_pending >= 1);
    // Both consumers are parked before their pull while the sync runs: nothing is pulled or embedded.
    await until('both consumers to wait', () => looked >= 2);
    expect((await created()).num_ack_pending).toBe(0);
    expect(w.fake.requests.length).toBe(requestsBefore);
    expect((await rowOf(id))?.embedding).toBeNull();

    await w.sql(`update pricebook_sync_log set status = 'completed', completed_at = now() where id = ?`, [
      sync?.id,
    ]);
    await until('the item to be embedded after the sync', async () => Boolean((await rowOf(id))?.embedding));
    await w.stopConsumers();
  });

  it('embeds beside syncs that never pause once it has waited the longest wait', async () => {
    await w.sql(
      `insert into pricebook_sync_log (tenant_id, sync_type, direction, status, started_at)
       values (?, 'incremental', 'from_st', 'pushing', now())`,
      [tenant],
    );
    w.startConsumers({
      yieldToSyncs: new YieldToSyncs({
        orm: w.orm,
        log: silentLog,
        settings: { maxWaitMs: 300, pollMs: 50 },
      }),
    });
    const id = await insertMaterial(802, { code: 'WH-40', displayName: 'Water heater 40 gal' });
    await until('the item to be embedded beside the sync', async () => Boolean((await rowOf(id))?.embedding));
    await w.stopConsumers();
  });

  it('steps aside within one slice when a sync starts while it embeds a batch', async () => {
    const rows = embedSliceSize + 36;
    const tag = `slice-${Date.now()}`;
    await w.sql(
      `insert into pricebook_materials (tenant_id, st_id, data)
       select ?, 9000 + i, jsonb_build_object('id', 9000 + i, 'active', true, 'code', ? || '-' || i, 'displayName', 'Slice item ' || i)
       from generate_series(1, ?) as i`,
      [tenant, tag, rows],
    );
    const embedded = async () =>
      (
        await w.sql<{ n: number }>(
          `select count(*)::int as n from pricebook_materials where data->>'code' like ? and embedding is not null`,
          [`${tag}-%`],
        )
      )[0]?.n ?? 0;
    const jsm = await jetstreamManager(w.nc);
    const created = () => jsm.consumers.info(consumers.embedCreated.stream, consumers.embedCreated.name);
    // A stand-in for the syncs: none until the first vectors are asked for, then one that lasts
    // until the test ends it; and nothing is pulled before every event is in the stream.
    const requestsBefore = w.fake.requests.length;
    const allStored = latch();
    const syncEnded = latch();
    let waiting = 0;
    w.startConsumers({
      yieldToSyncs: {
        wait: async () => {
          await allStored.promise;
          if (w.fake.requests.length === requestsBefore) return;
          waiting += 1;
          await syncEnded.promise;
        },
      },
    });
    await until('every created event to be stored', async () => (await created()).num_pending >= rows);
    allStored.resolve();
    // The batch of all of them is in hand; its first slice is written, the second waits.
    await until('the second slice to wait for the sync', async () => waiting >= 1 && (await embedded()) > 0);
    expect((await created()).num_ack_pending).toBe(rows);
    expect(await embedded()).toBe(embedSliceSize);
    syncEnded.resolve();
    await until('every item to be embedded after the sync', async () => (await embedded()) === rows);
    await w.stopConsumers();
  });
});
