/**
 * Benchmark of many contractors on one deployment (issue 11): BENCH_TENANTS sandbox tenants
 * (default 10) of BENCH_TENANT_ITEMS items each (default 10,000), added through `POST /api/tenants`
 * as an operator would, their full syncs started at the same instant (`Pricebook-Tenant` on each
 * request) and waited for. Before them, in the same run and on the same stack, one more tenant of
 * the same size syncs alone: the baseline that makes "N tenants at once" against "N times one
 * tenant" a ratio of this machine, not of two runs.
 *
 * Prints each tenant's time, the total records/s, the slowest tenant's time over the fastest's,
 * each service's peak resident memory, the fair-sharing settings, and the machine. Run:
 * `pnpm bench:tenants`; a short smoke run: `BENCH_TENANTS=3 BENCH_TENANT_ITEMS=500 pnpm bench:tenants`.
 * FETCHER_CONCURRENCY and FETCHER_TENANT_BACKLOG, when set, reach the fetcher. See bench/README.md.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { type Stack, startStack } from '@pricebook/testing';
import { runSync } from './api-sync';
import { type Bytes, machineLine, mb } from './targets';

const TENANTS = Number(process.env.BENCH_TENANTS ?? 10);
const ITEMS = Number(process.env.BENCH_TENANT_ITEMS ?? 10_000);
if (!(Number.isInteger(TENANTS) && TENANTS >= 1 && Number.isInteger(ITEMS) && ITEMS >= 1))
  throw new Error('BENCH_TENANTS and BENCH_TENANT_ITEMS must be whole numbers of at least 1');
/** The fair-sharing settings of the run, passed on only when set (else the services' defaults). */
const FAIRNESS = ['FETCHER_CONCURRENCY', 'FETCHER_TENANT_BACKLOG'] as const;
/** Settling time before the runs: the stack's start-up work finishes. */
const SETTLE_MS = 3_000;
/** The API's `?wait=true` answers 202 after this; the sync is then followed through its log. */
const WAIT_MS = 120_000;
/** How often resident memory is sampled during a phase. */
const SAMPLE_MS = 100;

interface TenantRun {
  tenantId: string;
  records: number;
  ms: number;
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const rate = (records: number, ms: number) => Math.round(records / (ms / 1000)).toLocaleString('en-US');
const count = (n: number) => n.toLocaleString('en-US');

/** One tenant's full sync, timed from its request to its `completed`. */
async function timedFullSync(stack: Stack, tenantId: string): Promise<TenantRun> {
  const start = performance.now();
  const stats = await runSync(stack.api, 'full', tenantId);
  return { tenantId, records: stats.fetched ?? 0, ms: performance.now() - start };
}

/**
 * Each service's highest resident memory sampled while `during` runs (VmHWM cannot be read per
 * phase, so a phase's own peak is sampled; the process-lifetime peak is printed beside it).
 */
async function sampledPeaks<T>(stack: Stack, during: () => Promise<T>): Promise<{ result: T; peak: Bytes }> {
  const peak: Record<string, number> = {};
  let running = true;
  const sampler = (async () => {
    while (running) {
      for (const [name, service] of Object.entries(stack.services)) {
        const rss = service.rss();
        if (rss !== undefined) peak[name] = Math.max(peak[name] ?? 0, rss);
      }
      await sleep(SAMPLE_MS);
    }
  })();
  try {
    return { result: await during(), peak };
  } finally {
    running = false;
    await sampler;
  }
}

const memoryLine = (bytes: Bytes) =>
  Object.entries(bytes)
    .map(([name, b]) => `${name} ${mb(b)}`)
    .join(', ');

const fairness = Object.fromEntries(
  FAIRNESS.flatMap((name) => (process.env[name] ? [[name, process.env[name] ?? '']] : [])),
);

console.log(machineLine());
console.log(
  `Starting the stack with ${TENANTS + 1} sandbox tenants of ${count(ITEMS)} items (${TENANTS} at once, 1 alone as the baseline)…`,
);
const stack = await startStack({
  sandbox: { items: 0, seed: 42 },
  env: { SYNC_WAIT_TIMEOUT_MS: String(WAIT_MS), ...fairness },
  tenants: [
    { items: ITEMS, seed: 1000, name: 'Baseline tenant' },
    ...Array.from({ length: TENANTS }, (_, i) => ({ items: ITEMS, seed: 1001 + i, name: `Tenant ${i + 1}` })),
  ],
});
try {
  const [baselineTenant, ...tenants] = stack.tenants;
  if (!baselineTenant) throw new Error('the stack added no tenants');
  await sleep(SETTLE_MS);

  const alone = await sampledPeaks(stack, () => timedFullSync(stack, baselineTenant.tenantId));
  const baseline = alone.result;
  console.log(
    `baseline, tenant ${baseline.tenantId} alone: ${count(baseline.records)} records in ${seconds(baseline.ms)}`,
  );

  const together = await sampledPeaks(stack, async () => {
    const start = performance.now();
    // Every request leaves before any answer is awaited: the syncs start together.
    const runs = await Promise.all(tenants.map((t) => timedFullSync(stack, t.tenantId)));
    return { runs, ms: performance.now() - start };
  });
  const { runs, ms: wallMs } = together.result;

  console.log(`\n| tenant | records | wall time | records/s |\n|---|---|---|---|`);
  for (const r of runs)
    console.log(`| ${r.tenantId} | ${count(r.records)} | ${seconds(r.ms)} | ${rate(r.records, r.ms)} |`);
  const total = runs.reduce((sum, r) => sum + r.records, 0);
  const times = runs.map((r) => r.ms);
  const slowest = Math.max(...times);
  const fastest = Math.min(...times);
  const oneByOne = baseline.ms * runs.length;

  console.log(
    `\n${runs.length} tenants at once: ${count(total)} records in ${seconds(wallMs)}, ${rate(total, wallMs)} records/s`,
  );
  console.log(
    `one tenant alone (baseline): ${count(baseline.records)} records in ${seconds(baseline.ms)}, ${rate(baseline.records, baseline.ms)} records/s`,
  );
  console.log(
    `slowest tenant / fastest tenant: ${(slowest / fastest).toFixed(2)} (${seconds(slowest)} / ${seconds(fastest)})`,
  );
  console.log(
    `${runs.length} at once / ${runs.length} × one alone: ${(wallMs / oneByOne).toFixed(2)} (${seconds(wallMs)} / ${seconds(oneByOne)}; below 1 means sharing the deployment beats taking turns)`,
  );
  console.log(`slowest tenant / one alone: ${(slowest / baseline.ms).toFixed(2)}`);
  console.log(`\npeak resident memory, one tenant alone (sampled): ${memoryLine(alone.peak)}`);
  console.log(`peak resident memory, ${runs.length} at once (sampled): ${memoryLine(together.peak)}`);
  const lifetime = Object.fromEntries(Object.entries(stack.services).map(([name, s]) => [name, s.peakRss()]));
  console.log(`peak resident memory, whole run (VmHWM): ${memoryLine(lifetime)}`);
  const settings = FAIRNESS.map((name) => `${name}=${fairness[name] ?? '(default)'}`).join(', ');
  console.log(`fair sharing: ${settings}`);
} finally {
  await stack.stop();
}
console.log(machineLine());
