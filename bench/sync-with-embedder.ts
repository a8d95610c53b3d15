/**
 * Does embedding slow a sync? The same syncs, back to back in one run, on two stacks built alike:
 * one without the embedder (the baseline), one with the embedder running beside the pipeline
 * against the local OpenAI-compatible fake provider. Per stack: a full sync of BENCH_ITEMS
 * (default 30,000) into an empty database, then ROUNDS incrementals with 1% changed each (the
 * first starts while the embedder still has the full sync's items to embed). Prints each sync's
 * wall time (the incrementals' median), the ratio of the two stacks, how many rows were embedded
 * when each sync ended, and how long after the last sync the embedder had every row.
 * Run: `pnpm bench:embedder`. The embedder waits while a sync is at work (EMBEDDER_YIELD_MAX_MS) and
 * takes up its backlog after, so the figures with it should match the baseline's.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { type Stack, startFakeEmbeddings, startStack } from '@pricebook/testing';
import pg from 'pg';
import { runSync } from './api-sync';
import { machineLine } from './targets';

const ITEMS = Number(process.env.BENCH_ITEMS ?? 30_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const SETTLE_MS = 3_000;
const WAIT_MS = 120_000;
const CATCH_UP_MS = 600_000;

interface Run {
  fullMs: number;
  fullRecords: number;
  incrementalMs: number[];
  embeddedAfterFull: number;
  embeddedAfterIncremental: number;
  /** From the last sync's end until every row had its vector (the embedder stack only). */
  catchUpMs?: number;
}

/** Live rows of every pricebook table, and how many of them have a vector. */
async function embeddedRows(stack: Stack): Promise<{ embedded: number; rows: number }> {
  const client = new pg.Client({ connectionString: stack.db.url });
  await client.connect();
  try {
    const tables = ['materials', 'services', 'equipment', 'categories'];
    const total = { embedded: 0, rows: 0 };
    for (const t of tables) {
      const res = await client.query(
        `select count(embedding)::int as embedded, count(*)::int as rows
           from pricebook_${t} where deleted_at is null`,
      );
      total.embedded += Number(res.rows[0]?.embedded ?? 0);
      total.rows += Number(res.rows[0]?.rows ?? 0);
    }
    return total;
  } finally {
    await client.end();
  }
}

async function caughtUp(stack: Stack): Promise<number> {
  const start = performance.now();
  for (;;) {
    const { embedded, rows } = await embeddedRows(stack);
    if (embedded >= rows) return performance.now() - start;
    if (performance.now() - start > CATCH_UP_MS) throw new Error(`embedder still at ${embedded}/${rows}`);
    await sleep(500);
  }
}

/** 1% of the items, a different 1% each round, renamed: a change the embedder has to embed. */
async function changeOnePercent(stack: Stack, round: number): Promise<void> {
  for (const entity of ['materials', 'services', 'equipment'] as const) {
    const items = await stack.sandbox.control.items(entity);
    const ids = items.filter((_, i) => i % 100 === round).map((i) => i.id);
    if (ids.length > 0)
      await stack.sandbox.control.editItems(entity, ids, {
        price: 4242.42 + round,
        displayName: `Bench round ${round} item`,
      });
  }
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;

async function measure(withEmbedder: boolean): Promise<Run> {
  const fake = withEmbedder ? await startFakeEmbeddings() : undefined;
  const stack = await startStack({
    sandbox: { items: ITEMS, seed: 42 },
    embedder: withEmbedder,
    env: {
      SYNC_WAIT_TIMEOUT_MS: String(WAIT_MS),
      ...(fake ? { EMBEDDINGS_URL: fake.url, EMBEDDINGS_MODEL: 'fake-bench' } : {}),
    },
  });
  try {
    await sleep(SETTLE_MS);
    let start = performance.now();
    const full = await runSync(stack.api, 'full');
    const fullMs = performance.now() - start;
    const embeddedAfterFull = (await embeddedRows(stack)).embedded;
    const incrementalMs: number[] = [];
    for (let round = 1; round <= ROUNDS; round++) {
      await changeOnePercent(stack, round);
      start = performance.now();
      await runSync(stack.api, 'incremental');
      incrementalMs.push(performance.now() - start);
    }
    const embeddedAfterIncremental = (await embeddedRows(stack)).embedded;
    return {
      fullMs,
      fullRecords: full.fetched ?? 0,
      incrementalMs,
      embeddedAfterFull,
      embeddedAfterIncremental,
      ...(withEmbedder ? { catchUpMs: await caughtUp(stack) } : {}),
    };
  } finally {
    await stack.stop();
    await fake?.close();
  }
}

const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const n = (value: number) => value.toLocaleString('en-US');

console.log(machineLine());
console.log(
  `${n(ITEMS)}-item sandbox; baseline stack first, then with the embedder; ${ROUNDS} incrementals each`,
);
const baseline = await measure(false);
const embedding = await measure(true);
console.log(
  `\n| stack | full sync | records | 1% incremental (median of ${ROUNDS}) | rows embedded at full / last incremental end | every row embedded |`,
);
console.log('|---|---|---|---|---|---|');
for (const [name, r] of [
  ['without the embedder (baseline)', baseline],
  ['with the embedder and a provider', embedding],
] as const) {
  const caught = r.catchUpMs === undefined ? '—' : `${s(r.catchUpMs)} after the last sync`;
  console.log(
    `| ${name} | ${s(r.fullMs)} | ${n(r.fullRecords)} | ${s(median(r.incrementalMs))} (${r.incrementalMs.map(s).join(', ')}) | ${n(r.embeddedAfterFull)} / ${n(r.embeddedAfterIncremental)} | ${caught} |`,
  );
}
console.log(
  `\nwith/without: full sync ${(embedding.fullMs / baseline.fullMs).toFixed(2)}×, 1% incremental ${(median(embedding.incrementalMs) / median(baseline.incrementalMs)).toFixed(2)}×`,
);
