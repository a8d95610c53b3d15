/**
 * The two database baselines of `sync-pipeline.ts`, on the same sandbox data as the product:
 * a naive per-record loop, and the list + COPY floor.
 */
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { entityTables, entityTypes, stContentHash } from '@pricebook/contracts';
import { StClient } from '@pricebook/st-client';
import {
  createTestDatabase,
  migrateDatabase,
  type StartedSandbox,
  sandboxAccessToken,
  stCredentials,
} from '@pricebook/testing';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';

/**
 * Fetch, then per record a SELECT and an INSERT or UPDATE, each its own round trip and commit,
 * as a straightforward ORM loop does (into a fresh copy of the schema, triggers included). Slow by
 * design: it stops after `limit` records and is compared by rate.
 */
export async function naiveSync(sandbox: StartedSandbox, limit: number): Promise<number> {
  const db = await createTestDatabase('pb_bench_naive');
  await migrateDatabase(db.url);
  const pgc = new pg.Client({ connectionString: db.url });
  await pgc.connect();
  let n = 0;
  try {
    const st = new StClient({ ...stCredentials(sandbox) });
    for (const entity of entityTypes) {
      const table = entityTables[entity];
      for await (const page of st.list(entity)) {
        for (const record of page.records) {
          if (n >= limit) return n;
          const found = await pgc.query(`select id from ${table} where tenant_id = $1 and st_id = $2`, [
            sandbox.tenantId,
            record.id,
          ]);
          const json = JSON.stringify(record);
          const hash = stContentHash(entity, record);
          if (found.rowCount === 0) {
            await pgc.query(
              `insert into ${table} (tenant_id, st_id, data, base, content_hash, st_modified_on, last_synced_at, sync_status)
               values ($1, $2, $3, $3, $4, $5, now(), 'synced')`,
              [sandbox.tenantId, record.id, json, hash, record.modifiedOn],
            );
          } else {
            await pgc.query(`update ${table} set data = $2, base = $2, content_hash = $3 where id = $1`, [
              found.rows[0]?.id,
              json,
              hash,
            ]);
          }
          n++;
        }
      }
    }
  } finally {
    await pgc.end();
    await db.drop();
  }
  return n;
}

/** The floor of a database sync: the same pages, unvalidated, straight into a bare table with COPY. */
export async function listCopyFloor(sandbox: StartedSandbox): Promise<number> {
  const db = await createTestDatabase('pb_bench_floor');
  const pgc = new pg.Client({ connectionString: db.url });
  await pgc.connect();
  let n = 0;
  try {
    await pgc.query('create table floor (entity text, st_id bigint, data jsonb)');
    const token = await sandboxAccessToken(sandbox);
    for (const entity of entityTypes) {
      for (let page = 1; ; page++) {
        const url = `${sandbox.baseUrl}/pricebook/v2/tenant/${sandbox.tenantId}/${entity}?active=Any&pageSize=5000&page=${page}`;
        const res = await fetch(url, {
          headers: { authorization: `Bearer ${token}`, 'st-app-key': sandbox.appKey },
        });
        if (res.status === 429) {
          await sleep(1000);
          page--;
          continue;
        }
        const body = (await res.json()) as { hasMore: boolean; data: { id: number }[] };
        const lines = body.data.map(
          (r) => `${entity}\t${r.id}\t${JSON.stringify(r).replaceAll('\\', '\\\\')}\n`,
        );
        await pipeline(Readable.from(lines), pgc.query(copyFrom('copy floor from stdin')));
        n += body.data.length;
        if (!body.hasMore) break;
      }
    }
  } finally {
    await pgc.end();
    await db.drop();
  }
  return n;
}
