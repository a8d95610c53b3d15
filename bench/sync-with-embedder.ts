/**
 * Does embedding slow a sync? The same syncs, back to back in one run, on two stacks built alike:
 * one without the embedder (the baseline), one with the embedder running beside the pipeline
 * against the local OpenAI-compatible fake provider, so it embeds every created and changed item
 * while the sync goes on. Per stack: a full sync of BENCH_ITEMS (default 30,000) into an empty
 * database, then an incremental with 1% changed. Prints each sync's wall time, the ratio of the
 * two stacks, and how many rows the embedder had written when each sync completed.
 * Run: `pnpm bench:embedder`. The fake answers instantly: a real provider's latency only adds to the
 * embedder's own backlog, never to the sync's path.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { type Stack, startFakeEmbeddings, startStack } from '@pricebook/testing';
import pg from 'pg';
import { runSync } from './api-sync';
import { machineLine } from './targets';

const ITEMS = Number(process.env.BENCH_ITEMS ?? 30_000);
const SETTLE_MS = 3_000;
const WAIT_MS = 120_000;

interface Run {
  fullMs: number;
  fullRecords: number;
  incrementalMs: number;
  embeddedAfterFull: number;
  embeddedAfterIncremental: number;
}

async function embeddedRows(stack: Stack): Promise<number> {
  const client = new pg.Client({ connectionString: stack.db.url });
  await client.connect();
  try {
    const tables = ['materials', 'services', 'equipment', 'categories'];
    let total = 0;
    for (const t of tables) {
      const res = await client.query(
        `select count(*)::int as n from pricebook_${t} where embedding is not null`,
      );
      total += Number(res.rows[0]?.n ?? 0);
    }
    return total;
  } finally {
    await client.end();
  }
}

async function changeOnePercent(stack: Stack): Promise<void> {
  for (const entity of ['materials', 'services', 'equipment'] as const) {
    const items = await stack.sandbox.control.items(entity);
    const ids = items.filter((_, i) => i % 100 === 0).map((i) => i.id);
    if (ids.length > 0) await stack.sandbox.control.editItems(entity, ids, { price: 4242.42 });
  }
}

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
    const embeddedAfterFull = await embeddedRows(stack);
    await changeOnePercent(stack);
    start = performance.now();
    await runSync(stack.api, 'incremental');
    const incrementalMs = performance.now() - start;
    const embeddedAfterIncremental = await embeddedRows(stack);
    return {
      fullMs,
      fullRecords: full.fetched ?? 0,
      incrementalMs,
      embeddedAfterFull,
      embeddedAfterIncremental,
    };
  } finally {
    await stack.stop();
    await fake?.close();
  }
}

const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

console.log(machineLine());
console.log(`${ITEMS.toLocaleString('en-US')}-item sandbox; baseline stack first, then with the embedder`);
const baseline = await measure(false);
const embedding = await measure(true);
console.log('\n| stack | full sync | records | 1% incremental | rows embedded at full / incremental end |');
console.log('|---|---|---|---|---|');
for (const [name, r] of [
  ['without the embedder (baseline)', baseline],
  ['with the embedder and a provider', embedding],
] as const) {
  console.log(
    `| ${name} | ${s(r.fullMs)} | ${r.fullRecords.toLocaleString('en-US')} | ${s(r.incrementalMs)} | ${r.embeddedAfterFull.toLocaleString('en-US')} / ${r.embeddedAfterIncremental.toLocaleString('en-US')} |`,
  );
}
console.log(
  `\nwith/without: full sync ${(embedding.fullMs / baseline.fullMs).toFixed(2)}×, 1% incremental ${(embedding.incrementalMs / baseline.incrementalMs).toFixed(2)}×`,
);
