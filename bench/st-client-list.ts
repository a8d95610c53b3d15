/**
 * Benchmark: list a 100,000-item sandbox tenant through @pricebook/st-client, against a
 * baseline of plain `fetch` + `JSON.parse` of the same pages (no validation), and time one
 * 5,000-item page both ways. Run with `pnpm bench:st-client` (BENCH_ITEMS / BENCH_REPS to change
 * the size). The sandbox runs in its own process with no injected latency; RSS is this process.
 */
import { StClient as Client, type StClient } from '@pricebook/st-client';
import { type StartedSandbox, sandboxAccessToken, startSandbox, stCredentials } from '@pricebook/testing';

const ITEMS = Number(process.env.BENCH_ITEMS ?? 100_000);
const REPS = Number(process.env.BENCH_REPS ?? 20);
const entities = ['categories', 'materials', 'services', 'equipment'] as const;
type Entity = (typeof entities)[number];

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;

/** Samples RSS while `fn` runs and returns its peak with the wall time. */
async function measure<T>(fn: () => Promise<T>): Promise<{ result: T; ms: number; peakRss: number }> {
  let peakRss = process.memoryUsage.rss();
  const timer = setInterval(() => {
    peakRss = Math.max(peakRss, process.memoryUsage.rss());
  }, 10);
  const start = performance.now();
  try {
    const result = await fn();
    peakRss = Math.max(peakRss, process.memoryUsage.rss());
    return { result, ms: performance.now() - start, peakRss };
  } finally {
    clearInterval(timer);
  }
}

function percentile(sorted: number[], p: number): number {
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i] ?? Number.NaN;
}

/** The baseline: the same requests, parsed, counted, not validated. */
async function rawPage(sb: StartedSandbox, bearer: string, entity: Entity, page: number) {
  const url = `${sb.baseUrl}/pricebook/v2/tenant/${sb.tenantId}/${entity}?page=${page}&pageSize=5000&active=Any`;
  const res = await fetch(url, { headers: { authorization: `Bearer ${bearer}`, 'st-app-key': sb.appKey } });
  if (!res.ok) throw new Error(`baseline ${entity} page ${page}: ${res.status}`);
  return JSON.parse(await res.text()) as { hasMore: boolean; data: unknown[] };
}

async function baselineList(sb: StartedSandbox, bearer: string): Promise<number> {
  let records = 0;
  for (const entity of entities) {
    for (let page = 1; ; page++) {
      const body = await rawPage(sb, bearer, entity, page);
      records += body.data.length;
      if (!body.hasMore) break;
    }
  }
  return records;
}

async function clientList(client: StClient): Promise<{ records: number; invalid: number }> {
  let records = 0;
  let invalid = 0;
  for (const entity of entities) {
    for await (const page of client.list(entity)) {
      records += page.records.length;
      invalid += page.invalid.length;
    }
  }
  return { records, invalid };
}

async function firstClientPage(client: StClient): Promise<number> {
  for await (const page of client.list('materials', { readAhead: false })) return page.records.length;
  return 0;
}

async function timeReps(fn: () => Promise<unknown>): Promise<{ p50: number; p95: number }> {
  const times: number[] = [];
  for (let i = 0; i < REPS; i++) {
    const start = performance.now();
    await fn();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return { p50: percentile(times, 50), p95: percentile(times, 95) };
}

async function main(): Promise<void> {
  const bootStart = performance.now();
  const sb = await startSandbox({ items: ITEMS, seed: 1 });
  try {
    const tenants = await sb.control.tenants();
    const counts = tenants[0]?.counts;
    console.log(
      `sandbox: ${ITEMS} items requested, counts ${JSON.stringify(counts)}, up in ${((performance.now() - bootStart) / 1000).toFixed(1)} s`,
    );
    const client = new Client({
      ...stCredentials(sb),
    });
    const bearer = await sandboxAccessToken(sb);
    // Warm up both paths (JIT, connections, token) on the small categories list.
    await rawPage(sb, bearer, 'categories', 1);
    for await (const _ of client.list('categories')) break;

    const baseline = await measure(() => baselineList(sb, bearer));
    const listed = await measure(() => clientList(client));
    const rawOne = await timeReps(() => rawPage(sb, bearer, 'materials', 1));
    const clientOne = await timeReps(() => firstClientPage(client));

    const rps = (n: number, ms: number) => Math.round(n / (ms / 1000));
    console.log('\nlist all four entities (pageSize 5000, active=Any)');
    console.log(
      `  st-client : ${listed.result.records} records (${listed.result.invalid} invalid) in ${(listed.ms / 1000).toFixed(2)} s = ${rps(listed.result.records, listed.ms)} records/s, peak RSS ${mb(listed.peakRss)}`,
    );
    console.log(
      `  baseline  : ${baseline.result} records in ${(baseline.ms / 1000).toFixed(2)} s = ${rps(baseline.result, baseline.ms)} records/s, peak RSS ${mb(baseline.peakRss)}`,
    );
    console.log(
      `  ratio     : st-client takes ${(listed.ms / baseline.ms).toFixed(2)}x the baseline's wall time`,
    );
    console.log(`\none 5,000-item materials page, ${REPS} repetitions`);
    console.log(
      `  baseline fetch+parse       : p50 ${rawOne.p50.toFixed(1)} ms, p95 ${rawOne.p95.toFixed(1)} ms`,
    );
    console.log(
      `  st-client fetch+validate   : p50 ${clientOne.p50.toFixed(1)} ms, p95 ${clientOne.p95.toFixed(1)} ms`,
    );
    console.log(`\nprocess peak RSS (whole run): ${mb(process.resourceUsage().maxRSS * 1024)}`);
    console.log(`client stats: ${JSON.stringify(client.stats())}`);
  } finally {
    await sb.stop();
  }
}

await main();
