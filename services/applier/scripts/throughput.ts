/**
 * Measures the applier on this machine: a full sync of N creates, an incremental sync of N updates,
 * and a full sync of N skips, each through real NATS and PostgreSQL with the decided consumer, the
 * fence consumer and the relay running as in production. The decisions and the fence are published
 * first, so the figures are the applier's alone (apply, fence, and the relay's tail).
 *
 *   pnpm --filter @pricebook/applier exec tsx scripts/throughput.ts 100000
 *
 * CONCURRENCY sets APPLIER_DECIDED_CONCURRENCY; PROFILE=/tmp/p writes a CPU profile of each pass.
 */
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { setInterval } from 'node:timers/promises';
import { publishAll } from '@pricebook/messaging';
import { loadApplierEnv } from '../src/env';
import { startApplier } from '../src/runtime';
import {
  createDecision,
  createSync,
  decided,
  fence,
  hashOf,
  idle,
  material,
  startHarness,
  T2,
  tenant,
} from '../src/test-world';

const n = Number(process.argv[2] ?? 20_000);

/** Waits until `probe` holds, or gives up after `timeoutMs` (a script: no vitest here). */
async function until(what: string, probe: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for await (const _tick of setInterval(25)) {
    if (await probe()) return;
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}`);
  }
}
const h = await startHarness();
const settings = {
  ...loadApplierEnv({ ST_TENANT_ID: tenant }),
  SYNC_MASS_DELETE_MAX_SHARE: 0.5,
  APPLIER_BATCH_SIZE: 1000,
  APPLIER_DECIDED_CONCURRENCY: Number(process.env.CONCURRENCY ?? 2),
  APPLIER_LINGER_MS: 20,
  APPLIER_FENCE_CONCURRENCY: 2,
  APPLIER_PROGRESS_INTERVAL_MS: 2000,
  RELAY_BATCH_SIZE: 1000,
  RELAY_CONCURRENCY: 256,
  RELAY_IDLE_MS: 150,
  WATCHDOG_STALL_MS: 1_800_000,
  WATCHDOG_INTERVAL_MS: 30_000,
};

const records = Array.from({ length: n }, (_, i) =>
  material(i + 1, {
    unitOfMeasure: 'EA',
    hours: 0.5,
    taxable: true,
    categories: [1, 2],
    vendorPart: `V-${i}`,
  }),
);

async function pass(label: string, messages: ReturnType<typeof createDecision>[], syncId: string) {
  const t0 = Date.now();
  await publishAll(h.js, messages, { concurrency: 512 });
  await publishAll(h.js, [fence(syncId, { published: messages.length })]);
  const published = Date.now();
  const session = process.env.PROFILE ? new Session() : undefined;
  if (session) {
    session.connect();
    await session.post('Profiler.enable');
    await session.post('Profiler.start');
  }
  const runtime = startApplier({ orm: h.orm, js: h.js, log: h.log, env: settings });
  await until(`${label} applied`, () => idle(h, 'applier'), 600_000);
  const applied = Date.now();
  await until(
    `${label} completed`,
    async () =>
      (await h.sql<{ status: string }>('select status from pricebook_sync_log where id = ?', [syncId]))[0]
        ?.status === 'completed',
    600_000,
  );
  const completed = Date.now();
  await until(
    `${label} relayed`,
    async () =>
      Number(
        (
          await h.sql<{ n: string }>('select count(*) as n from pricebook_outbox where published_at is null')
        )[0]?.n,
      ) === 0,
    600_000,
  );
  const relayed = Date.now();
  if (session) {
    const { profile } = await session.post('Profiler.stop');
    writeFileSync(`${process.env.PROFILE}-${label}.cpuprofile`, JSON.stringify(profile));
    session.disconnect();
  }
  await runtime.stop();
  const rate = (ms: number) => Math.round((messages.length / ms) * 1000);
  console.log(
    JSON.stringify({
      label,
      records: messages.length,
      publishMs: published - t0,
      applyMs: applied - published,
      applyPerSec: rate(applied - published),
      fenceMs: completed - applied,
      relayTailMs: relayed - completed,
      endToEndPerSec: rate(relayed - published),
    }),
  );
}

try {
  const create = await createSync(h);
  await pass(
    'create',
    records.map((r) => createDecision(create, r)),
    create,
  );
  const update = await createSync(h, { syncType: 'incremental' });
  await pass(
    'update',
    records.map((r) => {
      const changed = { ...r, price: Number(r.price) + 1, modifiedOn: T2 };
      return decided(update, Number(r.id), {
        action: 'update',
        record: changed,
        hash: hashOf(changed),
        expected: { contentHash: hashOf(r), localModifiedAt: null, version: 1 },
      });
    }),
    update,
  );
  const skip = await createSync(h, { syncType: 'full' });
  await pass(
    'skip',
    records.map((r) => decided(skip, Number(r.id), { action: 'skip' })),
    skip,
  );
} finally {
  await h.close();
}
