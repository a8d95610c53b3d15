/**
 * Benchmark of search (issue 13): BENCH_SEARCH_ITEMS materials (default 100,000) in a scratch
 * database, each with a name and description drawn from a trade vocabulary and an embedding made
 * from the fake provider's word vectors (summed and normalized in SQL, so no 1,536-number vector
 * crosses the wire per row), the HNSW and full-text indexes built, and the API as its own process
 * with the fake provider embedding each query. Then BENCH_SEARCH_REQUESTS requests (default 200)
 * per mode, one at a time, over HTTP: p50 and p95 of `text`, `semantic`, `hybrid` and `similar`,
 * and, as the baseline of the same run, the pricebook list's substring search
 * (`GET /api/pricebook/materials?search=`) on the same rows.
 *
 * Run: `pnpm bench:search`; a short smoke run: `BENCH_SEARCH_ITEMS=2000 BENCH_SEARCH_REQUESTS=20 pnpm bench:search`.
 * Building 100,000 rows and their HNSW index takes minutes on two cores: do not run it beside
 * other heavy work. See bench/README.md.
 */
import {
  createTestDatabase,
  fakeEmbedding,
  freePort,
  migrateDatabase,
  provisionNats,
  startFakeEmbeddings,
  startService,
  startTestNats,
} from '@pricebook/testing';
import pg from 'pg';
import { toSql } from 'pgvector';
import { machineLine } from './targets';

const ITEMS = Number(process.env.BENCH_SEARCH_ITEMS ?? 100_000);
const REQUESTS = Number(process.env.BENCH_SEARCH_REQUESTS ?? 200);
if (!(Number.isInteger(ITEMS) && ITEMS >= 100 && Number.isInteger(REQUESTS) && REQUESTS >= 10))
  throw new Error('BENCH_SEARCH_ITEMS (>= 100) and BENCH_SEARCH_REQUESTS (>= 10) must be whole numbers');
const TENANT = '1000001';
const KEY = 'bench-search-admin-key-0123456789';

// A pricebook's words: what a name and description are made of, and what a query asks for.
const vocabulary = [
  ...'copper brass pvc cpvc pex galvanized steel cast iron stainless aluminum black abs'.split(' '),
  ...'elbow tee coupling union adapter nipple valve ball gate check relief pressure reducing'.split(' '),
  ...'pipe tube fitting flange cap plug bushing reducer hose clamp strap hanger bracket'.split(' '),
  ...'water heater tankless boiler furnace condenser coil compressor blower motor fan belt'.split(' '),
  ...'thermostat sensor switch relay contactor capacitor breaker fuse wire cable conduit box'.split(' '),
  ...'filter pleated media humidifier dehumidifier damper duct register grille diffuser'.split(' '),
  ...'gas electric propane natural inch foot sweat threaded compression press push flare'.split(' '),
  ...'install replace repair service maintenance inspection tune cleaning flush drain'.split(' '),
  ...'toilet faucet sink lavatory shower tub disposal sump pump ejector backflow preventer'.split(' '),
  ...'residential commercial high efficiency standard premium heavy duty low lead'.split(' '),
];
const W = vocabulary.length;

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
const ms = (v: number) => `${v.toFixed(1)} ms`;

async function main(): Promise<void> {
  const started = performance.now();
  const [db, nats, fake] = await Promise.all([
    createTestDatabase('pb_bench_search'),
    startTestNats(),
    startFakeEmbeddings(),
  ]);
  const sql = new pg.Client({ connectionString: db.url });
  let api: Awaited<ReturnType<typeof startService>> | undefined;
  try {
    await Promise.all([migrateDatabase(db.url), provisionNats(nats)]);
    await sql.connect();

    // The words' vectors once; each row's vector is the normalized sum of its words' (in SQL).
    await sql.query('create temporary table bench_words (i int primary key, word text, v vector(1536))');
    for (let i = 0; i < W; i++) {
      await sql.query('insert into bench_words values ($1, $2, $3::vector)', [
        i,
        vocabulary[i],
        toSql(fakeEmbedding(vocabulary[i] ?? '')),
      ]);
    }
    const loadStart = performance.now();
    await sql.query('drop index pricebook_materials_embedding_hnsw_idx');
    const chunk = 10_000;
    for (let from = 1; from <= ITEMS; from += chunk) {
      const to = Math.min(ITEMS, from + chunk - 1);
      // `push` is the engine's bookkeeping origin: rows without audit or events, as a scratch load needs.
      await sql.query('begin');
      await sql.query(`select set_config('pricebook.origin', 'push', true)`);
      await sql.query(
        `insert into pricebook_materials (tenant_id, st_id, data, embedding, embedding_hash)
         select $1::bigint, g,
           jsonb_build_object('id', g, 'code', 'B-' || g, 'active', true, 'price', (g % 500) + 0.5,
             'displayName', w1.word || ' ' || w2.word || ' ' || w3.word || ' ' || (g % 97),
             'description', w4.word || ' ' || w5.word),
           l2_normalize(w1.v + w2.v + w3.v + w4.v + w5.v), 'bench'
         from generate_series($2::int, $3::int) g
         join bench_words w1 on w1.i = (g * 7) % ${W}
         join bench_words w2 on w2.i = (g * 13 + 5) % ${W}
         join bench_words w3 on w3.i = (g * 31 + 11) % ${W}
         join bench_words w4 on w4.i = (g * 17 + 3) % ${W}
         join bench_words w5 on w5.i = (g * 23 + 19) % ${W}`,
        [TENANT, from, to],
      );
      await sql.query('commit');
      process.stdout.write(`\rloaded ${to.toLocaleString('en-US')} of ${ITEMS.toLocaleString('en-US')} rows`);
    }
    process.stdout.write('\n');
    const loadMs = performance.now() - loadStart;
    const indexStart = performance.now();
    await sql.query(`set maintenance_work_mem = '1GB'`);
    await sql.query(
      'create index pricebook_materials_embedding_hnsw_idx on pricebook_materials using hnsw (embedding vector_cosine_ops)',
    );
    await sql.query('analyze pricebook_materials');
    const indexMs = performance.now() - indexStart;

    const port = await freePort();
    api = await startService({
      name: 'api',
      env: {
        DATABASE_URL: db.url,
        NATS_URL: nats.url,
        PORT: String(port),
        HEALTH_PORT: '0',
        API_KEYS: `admin:${KEY}`,
        ST_TENANT_ID: TENANT,
        EMBEDDINGS_URL: fake.url,
        EMBEDDINGS_MODEL: 'fake-bench',
      },
    });
    const base = `http://127.0.0.1:${port}`;
    const get = async (path: string) => {
      const t = performance.now();
      const res = await fetch(`${base}${path}`, { headers: { authorization: `Bearer ${KEY}` } });
      const body = (await res.json()) as { items?: unknown[]; mode?: string };
      if (res.status !== 200) throw new Error(`${path} answered ${res.status}: ${JSON.stringify(body)}`);
      return { ms: performance.now() - t, body };
    };
    const queries = Array.from({ length: REQUESTS }, (_, i) => {
      const a = vocabulary[(i * 11) % W] ?? '';
      const b = vocabulary[(i * 29 + 7) % W] ?? '';
      return `${a} ${b}`;
    });
    const [sample] = (
      await sql.query<{ id: string }>('select id from pricebook_materials order by st_id limit 1')
    ).rows;
    const scenarios: { name: string; path: (q: string, i: number) => string }[] = [
      {
        name: 'baseline: list substring search (?search=, ILIKE)',
        path: (q) => `/api/pricebook/materials?limit=20&search=${encodeURIComponent(q.split(' ')[0] ?? q)}`,
      },
      {
        name: 'search mode=text',
        path: (q) => `/api/pricebook/search?mode=text&limit=20&q=${encodeURIComponent(q)}`,
      },
      {
        name: 'search mode=semantic',
        path: (q) => `/api/pricebook/search?mode=semantic&limit=20&q=${encodeURIComponent(q)}`,
      },
      {
        name: 'search mode=hybrid',
        path: (q) => `/api/pricebook/search?mode=hybrid&limit=20&q=${encodeURIComponent(q)}`,
      },
      { name: 'similar', path: () => `/api/pricebook/materials/${sample?.id}/similar?limit=10` },
    ];
    const lines: string[] = [];
    for (const scenario of scenarios) {
      for (const q of queries.slice(0, 10)) await get(scenario.path(q, 0));
      const times: number[] = [];
      let results = 0;
      for (const [i, q] of queries.entries()) {
        const r = await get(scenario.path(q, i));
        times.push(r.ms);
        results += r.body.items?.length ?? 0;
      }
      times.sort((x, y) => x - y);
      lines.push(
        `| ${scenario.name.padEnd(50)} | ${ms(percentile(times, 50)).padStart(9)} | ${ms(percentile(times, 95)).padStart(9)} | ${(results / REQUESTS).toFixed(1).padStart(7)} |`,
      );
    }
    console.log(
      `\nsearch over ${ITEMS.toLocaleString('en-US')} materials, ${REQUESTS} requests per row, one at a time over HTTP`,
    );
    console.log(
      `load ${(loadMs / 1000).toFixed(1)} s, HNSW index ${(indexMs / 1000).toFixed(1)} s; ${machineLine()}`,
    );
    console.log('query embeddings from the local fake provider (a real provider adds its own latency)\n');
    console.log(`| ${'scenario'.padEnd(50)} |       p50 |       p95 | results |`);
    console.log(`| ${'-'.repeat(50)} | --------: | --------: | ------: |`);
    for (const line of lines) console.log(line);
    console.log(`\ntotal ${((performance.now() - started) / 1000).toFixed(1)} s`);
  } finally {
    await api?.stop();
    await sql.end().catch(() => undefined);
    await Promise.allSettled([nats.close(), fake.close()]);
    await db.drop().catch(() => undefined);
  }
}

await main();
