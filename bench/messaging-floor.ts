/**
 * The design's messaging floor: `records` ~1 KB material records passed fetcher → comparator →
 * applier → public event as one JetStream message per record per hop, each stage its own process
 * (`floor-stage.ts`), with no database and no ServiceTitan. Its own `nats-server -js`, provisioned
 * by the product's own provisioning script, so the streams and durables are the product's
 * (work-queue pipeline stream, limits-retention file-backed events stream, their duplicate windows
 * and max-ack-pending), with a subscriber's durable on the events stream as the sink.
 *
 * Timed from the fetcher's first publish to the sink's last event. Run alone:
 * `pnpm bench:floor` (BENCH_ITEMS, default 100,000); `sync-pipeline.ts` runs it as a scenario.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { consumers, streams, subjectFilter, subjectFor } from '@pricebook/contracts';
import { provisionNats, startTestNats } from '@pricebook/testing';
import type { FloorRole, FloorStageConfig } from './floor-stage';

/** The defaults of COMPARATOR_BATCH_SIZE and APPLIER_BATCH_SIZE (services' `env.ts`). */
const PRODUCT_BATCH = 1_000;
/** The defaults of FETCHER_/COMPARATOR_PUBLISH_CONCURRENCY and RELAY_CONCURRENCY. */
const PRODUCT_WINDOW = 256;
const SINK = 'floor-sink';
const benchDir = fileURLToPath(new URL('.', import.meta.url));

export interface MessagingFloorResult {
  records: number;
  /** First publish to last public event received. */
  ms: number;
  /** Peak resident memory of each stage (VmHWM), bytes. */
  peakRss: Partial<Record<FloorRole, number>>;
}

interface Stage {
  role: FloorRole;
  child: ChildProcess;
  /** Resolves with the first stdout line starting with `word`. */
  line(word: string): Promise<string>;
}

function startStage(role: FloorRole, config: FloorStageConfig): Stage {
  const child = spawn(process.execPath, ['--import', 'tsx', 'floor-stage.ts', role], {
    cwd: benchDir,
    env: { PATH: process.env.PATH ?? '', FLOOR_STAGE: JSON.stringify(config) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let partial = '';
  const lines: string[] = [];
  const waiters: Array<{ word: string; resolve: (line: string) => void }> = [];
  const settle = () => {
    for (const w of [...waiters]) {
      const found = lines.find((l) => l.startsWith(w.word));
      if (found === undefined) continue;
      waiters.splice(waiters.indexOf(w), 1);
      w.resolve(found);
    }
  };
  child.stdout?.on('data', (c: Buffer) => {
    const parts = (partial + c.toString()).split('\n');
    partial = parts.pop() ?? '';
    lines.push(...parts);
    settle();
  });
  let err = '';
  child.stderr?.on('data', (c: Buffer) => {
    err = (err + c.toString()).slice(-4000);
  });
  const exited = new Promise<never>((_, reject) =>
    child.once('exit', (code) => reject(new Error(`floor ${role} exited (${code}): ${err}`))),
  );
  exited.catch(() => undefined);
  return {
    role,
    child,
    line: (word) =>
      Promise.race([
        new Promise<string>((resolve) => {
          waiters.push({ word, resolve });
          settle();
        }),
        exited,
      ]),
  };
}

function peakRssOf(pid: number | undefined): number | undefined {
  try {
    const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) * 1024 : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Runs the floor once and tears everything down.
 *
 * @example
 * const { ms } = await measureMessagingFloor(100_000); // records/s = 100_000 / (ms / 1000)
 */
export async function measureMessagingFloor(records: number): Promise<MessagingFloorResult> {
  const nats = await startTestNats();
  const stages: Stage[] = [];
  try {
    await provisionNats(nats, {
      NATS_INTEGRATOR_CONSUMERS: `${SINK}=${subjectFilter('record.created')}`,
    });
    const tenant = '1000001';
    const base = { url: nats.url, records, tenant, syncId: 'floor-sync', window: PRODUCT_WINDOW };
    const pipeline = streams.PRICEBOOK_PIPELINE.name;
    const events = streams.PRICEBOOK_EVENTS.name;
    const entity = { tenant, entity: 'materials' } as const;
    const configs: Record<FloorRole, FloorStageConfig> = {
      sink: { ...base, batch: PRODUCT_BATCH, input: { stream: events, durable: SINK } },
      applier: {
        ...base,
        batch: PRODUCT_BATCH,
        input: { stream: pipeline, durable: consumers.applier.name },
        output: { stream: events, subject: subjectFor('record.created', entity) },
      },
      comparator: {
        ...base,
        batch: PRODUCT_BATCH,
        input: { stream: pipeline, durable: consumers.comparator.name },
        output: { stream: pipeline, subject: subjectFor('record.decided', entity) },
      },
      fetcher: {
        ...base,
        batch: PRODUCT_BATCH,
        output: { stream: pipeline, subject: subjectFor('record.observed', entity) },
      },
    };
    const launch = async (role: FloorRole) => {
      const stage = startStage(role, configs[role]);
      stages.push(stage);
      await stage.line('ready');
      return stage;
    };
    // Consumers first, so the clock starts with every stage listening.
    const sink = await launch('sink');
    await launch('applier');
    await launch('comparator');
    const fetcher = await launch('fetcher');
    const startedAt = Number((await fetcher.line('start')).split(' ')[1]);
    const doneAt = Number((await sink.line('done')).split(' ')[1]);
    const peakRss: Partial<Record<FloorRole, number>> = {};
    for (const s of stages) {
      const bytes = peakRssOf(s.child.pid);
      if (bytes !== undefined) peakRss[s.role] = bytes;
    }
    return { records, ms: doneAt - startedAt, peakRss };
  } finally {
    for (const s of stages) s.child.kill('SIGKILL');
    await nats.close();
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const records = Number(process.env.BENCH_ITEMS ?? 100_000);
  const result = await measureMessagingFloor(records);
  const perSecond = Math.round(records / (result.ms / 1000));
  console.log(
    `messaging floor: ${records.toLocaleString('en-US')} records in ${(result.ms / 1000).toFixed(2)} s ` +
      `(${perSecond.toLocaleString('en-US')} records/s); peak RSS ${Object.entries(result.peakRss)
        .map(([role, b]) => `${role} ${Math.round(b / 1024 / 1024)} MB`)
        .join(', ')}`,
  );
}
