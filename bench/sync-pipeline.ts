/**
 * Benchmark of the product's main job, in one run, against the sandbox with no injected latency:
 *   (a) full sync of BENCH_ITEMS (default 100,000) into an empty database, command to `completed`;
 *   (b) incremental sync with no changes (after one incremental that establishes export tokens);
 *   (c) incremental sync with 1% of items changed;
 *   (d) a naive baseline on the same data: fetch, then per record SELECT and INSERT, as a
 *       straightforward ORM loop does (into a fresh copy of the same schema, triggers included);
 *   (e) the floor: fetch the same pages and COPY the rows into a bare table.
 * Prints records/s, wall time, the peak RSS of each service and the ratios. Run: `pnpm bench:sync`.
 */
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { entityTables, entityTypes, stContentHash } from '@pricebook/contracts';
import { StClient } from '@pricebook/st-client';
import {
  createTestDatabase,
  migrateDatabase,
  type Stack,
  sandboxAccessToken,
  startStack,
  stCredentials,
} from '@pricebook/testing';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';

const ITEMS = Number(process.env.BENCH_ITEMS ?? 100_000);
/** The naive loop is slow by design; it runs on the first N records and is compared by rate. */
const NAIVE_ITEMS = Number(process.env.BENCH_NAIVE_ITEMS ?? 20_000);
const mb = (bytes: number | undefined) =>
  bytes === undefined ? 'n/a' : `${Math.round(bytes / 1024 / 1024)} MB`;
const rate = (n: number, ms: number) => Math.round(n / (ms / 1000)).toLocaleString('en-US');

interface Row {
  scenario: string;
  records: number;
  ms: number;
}
const results: Row[] = [];

async function timed(scenario: string, records: number, fn: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await fn();
  const ms = performance.now() - start;
  results.push({ scenario, records, ms });
  console.log(`${scenario}: ${(ms / 1000).toFixed(2)} s`);
  return ms;
}

/** Times one sync; its row counts the records the sync read from ServiceTitan (its `fetched`). */
async function timedSync(
  scenario: string,
  kind: 'full' | 'incremental',
): Promise<{ ms: number; fetched: number }> {
  let fetched = 0;
  const ms = await timed(scenario, 0, async () => {
    fetched = (await sync(stack, kind)).fetched ?? 0;
  });
  const row = results[results.length - 1];
  if (row) row.records = fetched;
  return { ms, fetched };
}

async function sync(stack: Stack, kind: 'full' | 'incremental'): Promise<Record<string, number>> {
  const res = await fetch(`${stack.api.url}/api/sync/pricebook/${kind}?wait=true`, {
    method: 'POST',
    headers: { authorization: `Bearer ${stack.api.key}`, 'content-type': 'application/json' },
    body: '{}',
  });
  const body = (await res.json()) as { status: string; stats: Record<string, number> };
  if (body.status !== 'completed')
    throw new Error(`${kind} sync ended ${body.status}: ${JSON.stringify(body)}`);
  return body.stats;
}

function client(stack: Stack): StClient {
  const { sandbox: sb } = stack;
  return new StClient({
    ...stCredentials(sb),
  });
}

/** (d): per record a SELECT, then an INSERT or UPDATE, each its own round trip and commit. */
async function naive(stack: Stack): Promise<number> {
  const db = await createTestDatabase('pb_bench_naive');
  await migrateDatabase(db.url);
  const pgc = new pg.Client({ connectionString: db.url });
  await pgc.connect();
  let n = 0;
  try {
    const st = client(stack);
    for (const entity of entityTypes) {
      const table = entityTables[entity];
      for await (const page of st.list(entity)) {
        for (const record of page.records) {
          if (n >= NAIVE_ITEMS) return n;
          const found = await pgc.query(`select id from ${table} where tenant_id = $1 and st_id = $2`, [
            stack.sandbox.tenantId,
            record.id,
          ]);
          const json = JSON.stringify(record);
          const hash = stContentHash(entity, record);
          if (found.rowCount === 0) {
            await pgc.query(
              `insert into ${table} (tenant_id, st_id, data, base, content_hash, st_modified_on, last_synced_at, sync_status)
               values ($1, $2, $3, $3, $4, $5, now(), 'synced')`,
              [stack.sandbox.tenantId, record.id, json, hash, record.modifiedOn],
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

/** (e): the same pages, unvalidated, straight into a bare table with COPY. */
async function floor(stack: Stack): Promise<number> {
  const db = await createTestDatabase('pb_bench_floor');
  const pgc = new pg.Client({ connectionString: db.url });
  await pgc.connect();
  const sb = stack.sandbox;
  let n = 0;
  try {
    await pgc.query('create table floor (entity text, st_id bigint, data jsonb)');
    const token = await sandboxAccessToken(sb);
    for (const entity of entityTypes) {
      for (let page = 1; ; page++) {
        const url = `${sb.baseUrl}/pricebook/v2/tenant/${sb.tenantId}/${entity}?active=Any&pageSize=5000&page=${page}`;
        const res = await fetch(url, {
          headers: { authorization: `Bearer ${token}`, 'st-app-key': sb.appKey },
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

async function changeOnePercent(stack: Stack): Promise<number> {
  let changed = 0;
  for (const entity of ['materials', 'services', 'equipment'] as const) {
    const items = await stack.sandbox.control.items(entity);
    const ids = items.filter((_, i) => i % 100 === 0).map((i) => i.id);
    if (ids.length > 0) await stack.sandbox.control.editItems(entity, ids, { price: 4242.42 });
    changed += ids.length;
  }
  return changed;
}

console.log(`Starting the stack with a ${ITEMS.toLocaleString('en-US')}-item sandbox pricebook…`);
const stack = await startStack({ sandbox: { items: ITEMS, seed: 42 } });
try {
  const full = await timedSync('(a) full sync, empty database', 'full');
  await timedSync(
    '    first incremental after it, nothing changed (from its export positions)',
    'incremental',
  );
  await timedSync('(b) incremental, no changes', 'incremental');
  await changeOnePercent(stack);
  await timedSync('(c) incremental, 1% changed', 'incremental');
  const peaks = Object.fromEntries(Object.entries(stack.services).map(([name, s]) => [name, s.peakRss()]));
  let naiveN = 0;
  let floorN = 0;
  const naiveMs = await timed('(d) naive: fetch + per-record SELECT/INSERT', 0, async () => {
    naiveN = await naive(stack);
  });
  const floorMs = await timed('(e) floor: fetch + COPY into a bare table', 0, async () => {
    floorN = await floor(stack);
  });
  results[results.length - 2] = {
    scenario: '(d) naive: fetch + per-record SELECT/INSERT',
    records: naiveN,
    ms: naiveMs,
  };
  results[results.length - 1] = {
    scenario: '(e) floor: fetch + COPY into a bare table',
    records: floorN,
    ms: floorMs,
  };
  const perSecond = (n: number, ms: number) => n / (ms / 1000);
  const product = perSecond(full.fetched, full.ms);

  console.log('\n| scenario | records | wall time | records/s |\n|---|---|---|---|');
  for (const r of results) {
    console.log(
      `| ${r.scenario.trim()} | ${r.records.toLocaleString('en-US')} | ${(r.ms / 1000).toFixed(2)} s | ${r.records ? rate(r.records, r.ms) : '—'} |`,
    );
  }
  console.log(
    `\nfull sync vs naive: ${(product / perSecond(naiveN, naiveMs)).toFixed(1)}× the records/s; ` +
      `the full sync takes ${(perSecond(floorN, floorMs) / product).toFixed(1)}× the floor's time per record`,
  );
  console.log(
    `peak RSS: ${Object.entries(peaks)
      .map(([name, bytes]) => `${name} ${mb(bytes)}`)
      .join(', ')}`,
  );
} finally {
  await stack.stop();
}
