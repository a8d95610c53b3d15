/**
 * The performance targets (issue 9) checked against one run's figures, the machine the run was
 * on, and the 100,000-item peaks that the million-item mode is compared with.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';

export type Bytes = Record<string, number | undefined>;

/** A timed figure: `records` read or passed in `ms`. */
export interface Timed {
  records: number;
  ms: number;
}

export interface Figures {
  items: number;
  full: Timed;
  firstIncremental: Timed;
  onePercent?: Timed;
  copyFloor?: Timed;
  messagingFloor?: Timed;
  /** Each service's resident memory once the stack is up, before the first sync. */
  idleBefore: Bytes;
  /** Each service's resident memory idle after the syncs. */
  idleAfter: Bytes;
  /** Each service's peak resident memory up to the end of the syncs. */
  peak: Bytes;
}

const MB = 1024 * 1024;
const lastRunFile = fileURLToPath(new URL('./.last-100k.json', import.meta.url));

export const mb = (bytes: number | undefined) =>
  bytes === undefined ? 'n/a' : `${Math.round(bytes / MB)} MB`;
const perSecond = (t: Timed) => t.records / (t.ms / 1000);
const perRecordMs = (t: Timed) => t.ms / Math.max(1, t.records);
const verdict = (met: boolean | undefined) => (met === undefined ? 'n/a' : met ? 'met' : 'MISSED');

/** Cores, memory, Node version, load and date, for the README table to cite. */
export function machineLine(): string {
  const cores = cpus();
  const load = loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
  return (
    `machine: ${cores.length} cores (${cores[0]?.model.trim() ?? 'unknown'}), ${Math.round(totalmem() / MB / 1024)} GB memory, ` +
    `Node ${process.version}; load average ${load}; ${new Date().toISOString()}`
  );
}

function line(target: string, measured: string, met: boolean | undefined): string {
  return `- ${target}: ${measured} — ${verdict(met)}`;
}

function memoryLines(label: string, bytes: Bytes, limitMb: number): string[] {
  return Object.entries(bytes).map(([name, b]) =>
    line(`${name} ${label} ≤ ${limitMb} MB`, mb(b), b === undefined ? undefined : b <= limitMb * MB),
  );
}

/** The 100,000-item targets, one line each: the target, the measured value, met or missed. */
export function targetLines(f: Figures): string[] {
  const rate = perSecond(f.full);
  const out = [
    line(
      'full sync ≥ 5,000 records/s',
      `${Math.round(rate).toLocaleString('en-US')} records/s`,
      rate >= 5_000,
    ),
  ];
  for (const [name, floor, limit] of [
    ['list + COPY floor', f.copyFloor, 4],
    ['messaging floor', f.messagingFloor, 2],
  ] as const) {
    const ratio = floor ? perRecordMs(f.full) / perRecordMs(floor) : undefined;
    out.push(
      line(
        `full-sync time ≤ ${limit}× the ${name} (per record)`,
        ratio === undefined ? 'not measured' : `${ratio.toFixed(1)}×`,
        ratio === undefined ? undefined : ratio <= limit,
      ),
    );
  }
  out.push(
    line(
      'first incremental after a full sync, nothing changed ≤ 1 s',
      `${(f.firstIncremental.ms / 1000).toFixed(2)} s (read ${f.firstIncremental.records.toLocaleString('en-US')} records)`,
      f.firstIncremental.ms <= 1_000,
    ),
  );
  if (f.onePercent)
    out.push(
      line(
        'incremental, 1% changed ≤ 2 s',
        `${(f.onePercent.ms / 1000).toFixed(2)} s`,
        f.onePercent.ms <= 2_000,
      ),
    );
  out.push(
    ...memoryLines('resident idle before the first sync', f.idleBefore, 150),
    ...memoryLines('resident idle after the syncs', f.idleAfter, 150),
    ...memoryLines('peak during the syncs', f.peak, 300),
  );
  return out;
}

/**
 * The million-item targets: each service's peak within 20% of its 100,000-item peak (when those
 * are known), the no-change incremental still ≤ 1 s; the 100,000-item peak limit beside them.
 */
export function millionLines(f: Figures, peaks100k: Bytes | undefined): string[] {
  const out = [
    line(
      'no-change incremental after the full sync ≤ 1 s',
      `${(f.firstIncremental.ms / 1000).toFixed(2)} s (read ${f.firstIncremental.records.toLocaleString('en-US')} records)`,
      f.firstIncremental.ms <= 1_000,
    ),
  ];
  for (const [name, b] of Object.entries(f.peak)) {
    const base = peaks100k?.[name];
    const ratio = b !== undefined && base !== undefined ? b / base : undefined;
    out.push(
      line(
        `${name} peak within 20% of its 100,000-item peak`,
        `${mb(b)} vs ${mb(base)}${ratio === undefined ? '' : ` (${ratio.toFixed(2)}×)`}`,
        ratio === undefined ? undefined : ratio <= 1.2,
      ),
    );
    out.push(
      line(
        `${name} peak ≤ 300 MB (the 100,000-item limit)`,
        mb(b),
        b === undefined ? undefined : b <= 300 * MB,
      ),
    );
  }
  return out;
}

/** Keeps a 100,000-item run's peaks for the million-item mode (a gitignored file beside this one). */
export function saveLast100k(peak: Bytes): void {
  writeFileSync(lastRunFile, `${JSON.stringify({ date: new Date().toISOString(), peak }, null, 2)}\n`);
}

/**
 * The 100,000-item peaks to compare with: `BENCH_100K_PEAKS` (`fetcher=442,comparator=306,…` in
 * MB) or the last 100,000-item run's file.
 */
export function load100kPeaks(): { peak: Bytes; from: string } | undefined {
  const env = process.env.BENCH_100K_PEAKS;
  if (env) {
    const peak: Bytes = {};
    for (const pair of env.split(',')) {
      const [name, value] = pair.split('=');
      if (name && value) peak[name.trim()] = Number(value) * MB;
    }
    return { peak, from: 'BENCH_100K_PEAKS' };
  }
  if (!existsSync(lastRunFile)) return undefined;
  const saved = JSON.parse(readFileSync(lastRunFile, 'utf8')) as { date: string; peak: Bytes };
  return { peak: saved.peak, from: `bench/.last-100k.json (${saved.date})` };
}
