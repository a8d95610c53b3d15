/**
 * Benchmark of the product's main job, in one run, against the sandbox with no injected latency:
 *   (a) full sync of BENCH_ITEMS (default 100,000) into an empty database, command to `completed`,
 *       then the first incremental after it with nothing changed;
 *   (b) incremental sync with no changes;
 *   (c) incremental sync with 1% of items changed;
 *   (d) a naive baseline on the same data: fetch, then per record SELECT and INSERT, as a
 *       straightforward ORM loop does (into a fresh copy of the same schema, triggers included);
 *   (e) the list + COPY floor: fetch the same pages and COPY the rows into a bare table;
 *   (f) the messaging floor: as many ~1 KB records through fetcher → comparator → applier →
 *       public event, one JetStream message per record per hop, no database (`messaging-floor.ts`).
 * Prints the table, every target of issue 9 with its measured value (met / missed), each service's
 * resident memory idle and at peak, and the machine. Run: `pnpm bench:sync`.
 *
 * `BENCH_MODE=million` (`pnpm bench:sync:1m`): 1,000,000 items, the full sync and a no-change
 * incremental, the floors but not the naive loop, and each service's peak beside its 100,000-item
 * peak (from `BENCH_100K_PEAKS` or the file the last 100,000-item run wrote). See bench/README.md.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { type Stack, startStack } from '@pricebook/testing';
import { runSync } from './api-sync';
import { listCopyFloor, naiveSync } from './baselines';
import { measureMessagingFloor } from './messaging-floor';
import {
  type Bytes,
  type Figures,
  load100kPeaks,
  machineLine,
  mb,
  millionLines,
  saveLast100k,
  type Timed,
  targetLines,
} from './targets';

const MILLION = process.env.BENCH_MODE === 'million';
const ITEMS = Number(process.env.BENCH_ITEMS ?? (MILLION ? 1_000_000 : 100_000));
/** The naive loop is slow by design; it runs on the first N records and is compared by rate. */
const NAIVE_ITEMS = Number(process.env.BENCH_NAIVE_ITEMS ?? 20_000);
/** Records through the messaging floor (default: as many as the sync); compared per record. */
const FLOOR_ITEMS = Number(process.env.BENCH_MESSAGING_FLOOR_ITEMS ?? ITEMS);
/** Settling time before an idle reading: in-flight batches finish, timers go quiet. */
const SETTLE_MS = 3_000;
/** The API's `?wait=true` answers 202 after this (well before fetch gives up on its headers). */
const WAIT_MS = 120_000;

const rate = (n: number, ms: number) => Math.round(n / (ms / 1000)).toLocaleString('en-US');

interface Row extends Timed {
  scenario: string;
}
const results: Row[] = [];

async function timed(scenario: string, fn: () => Promise<number>): Promise<Timed> {
  const start = performance.now();
  const records = await fn();
  const ms = performance.now() - start;
  results.push({ scenario, records, ms });
  console.log(`${scenario}: ${(ms / 1000).toFixed(2)} s`);
  return { records, ms };
}

/** Times one sync; its row counts the records the sync read from ServiceTitan (its `fetched`). */
const timedSync = (stack: Stack, scenario: string, kind: 'full' | 'incremental') =>
  timed(scenario, async () => (await runSync(stack.api, kind)).fetched ?? 0);

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

const memory = (stack: Stack, read: 'rss' | 'peakRss'): Bytes =>
  Object.fromEntries(Object.entries(stack.services).map(([name, s]) => [name, s[read]()]));
const memoryLine = (bytes: Bytes) =>
  Object.entries(bytes)
    .map(([name, b]) => `${name} ${mb(b)}`)
    .join(', ');

console.log(machineLine());
console.log(
  `Starting the stack with a ${ITEMS.toLocaleString('en-US')}-item sandbox pricebook${MILLION ? ' (million-item mode)' : ''}…`,
);
const stack = await startStack({
  sandbox: { items: ITEMS, seed: 42 },
  env: { SYNC_WAIT_TIMEOUT_MS: String(WAIT_MS) },
});
let figures: Figures;
try {
  await sleep(SETTLE_MS);
  const idleBefore = memory(stack, 'rss');
  const full = await timedSync(stack, '(a) full sync, empty database', 'full');
  const firstIncremental = await timedSync(
    stack,
    '    first incremental after it, nothing changed (from its export positions)',
    'incremental',
  );
  let onePercent: Timed | undefined;
  if (!MILLION) {
    await timedSync(stack, '(b) incremental, no changes', 'incremental');
    await changeOnePercent(stack);
    onePercent = await timedSync(stack, '(c) incremental, 1% changed', 'incremental');
  }
  const peak = memory(stack, 'peakRss');
  await sleep(SETTLE_MS);
  const idleAfter = memory(stack, 'rss');
  if (!MILLION)
    await timed('(d) naive: fetch + per-record SELECT/INSERT', () => naiveSync(stack.sandbox, NAIVE_ITEMS));
  const copyFloor = await timed('(e) floor: fetch + COPY into a bare table', () =>
    listCopyFloor(stack.sandbox),
  );
  figures = { items: ITEMS, full, firstIncremental, onePercent, copyFloor, idleBefore, idleAfter, peak };
} finally {
  await stack.stop();
}
// With the stack stopped, so the floor has the machine the sync had. Its clock runs from its first
// publish to its last event received, not from process start.
const floor = await measureMessagingFloor(FLOOR_ITEMS);
results.push({
  scenario: '(f) messaging floor: 3 JetStream hops per record, no database',
  records: floor.records,
  ms: floor.ms,
});
console.log(`(f) messaging floor: ${(floor.ms / 1000).toFixed(2)} s`);
figures.messagingFloor = floor;

console.log('\n| scenario | records | wall time | records/s |\n|---|---|---|---|');
for (const r of results) {
  console.log(
    `| ${r.scenario.trim()} | ${r.records.toLocaleString('en-US')} | ${(r.ms / 1000).toFixed(2)} s | ${r.records ? rate(r.records, r.ms) : '—'} |`,
  );
}

console.log(`\nresident memory once up, before the first sync: ${memoryLine(figures.idleBefore)}`);
console.log(`peak resident memory during the syncs: ${memoryLine(figures.peak)}`);
console.log(`resident memory idle after the syncs: ${memoryLine(figures.idleAfter)}`);
console.log(`messaging floor stages, peak: ${memoryLine(floor.peakRss)}`);

if (MILLION) {
  const base = load100kPeaks();
  console.log(
    `\nTargets, ${ITEMS.toLocaleString('en-US')} items (100,000-item peaks from ${base?.from ?? 'nowhere: run pnpm bench:sync first or set BENCH_100K_PEAKS'}):`,
  );
  for (const l of millionLines(figures, base?.peak)) console.log(l);
} else {
  console.log(`\nTargets, ${ITEMS.toLocaleString('en-US')} items:`);
  for (const l of targetLines(figures)) console.log(l);
  if (ITEMS === 100_000) saveLast100k(figures.peak);
}
console.log(machineLine());
