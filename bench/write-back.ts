/**
 * Benchmark: push 1,000 local price edits to a sandbox tenant (no injected latency) through the
 * applier's write-back, once with bulk `PATCH /pricebook` and once with single PATCHes, on fresh
 * copies of the same data. Prints items/s and the ST requests each run used (sandbox stats).
 * Run with `pnpm bench:write-back` (BENCH_EDITS to change the size).
 */
import { randomUUID } from 'node:crypto';
import { runPush, singleTenantClients } from '@pricebook/applier';
import { createMessage, noPushBrake, stContentHash } from '@pricebook/contracts';
import { createOrm, migrate } from '@pricebook/db';
import { createLogger } from '@pricebook/logger';
import { StClient } from '@pricebook/st-client';
import { createTestDatabase, startSandbox } from '@pricebook/testing';

const EDITS = Number(process.env.BENCH_EDITS ?? 1000);
const TENANT = '1001';
const log = createLogger({ service: 'bench', level: 'warn' });

async function runOnce(mode: 'bulk' | 'single') {
  // The sandbox spreads its items over the four entities; materials get a share of them.
  const sb = await startSandbox({ items: EDITS * 4, seed: 9, tenantId: TENANT });
  const db = await createTestDatabase('pb_bench');
  await migrate(db.url);
  const orm = await createOrm(db.url, { poolMax: 4 });
  // ST's real limit (60 requests/s per app and tenant) applies, as in production.
  const st = new StClient({ ...sb, baseUrl: sb.baseUrl, authUrl: sb.authUrl });
  try {
    const records: Record<string, unknown>[] = [];
    for await (const page of st.list('materials'))
      records.push(...(page.records as Record<string, unknown>[]));
    const chosen = records.slice(0, EDITS);
    await orm.em.fork().transactional(async (em) => {
      await em.execute(`select set_config('pricebook.origin', 'st', true)`);
      await em.execute(
        `insert into pricebook_materials (tenant_id, st_id, data, base, content_hash, sync_status)
         select ?, r.st_id, r.data, r.data, r.hash, 'synced' from jsonb_to_recordset(?::jsonb) as r(st_id bigint, data jsonb, hash text)`,
        [
          TENANT,
          JSON.stringify(chosen.map((r) => ({ st_id: r.id, data: r, hash: stContentHash('materials', r) }))),
        ],
      );
    });
    // 1,000 local edits, as plain SQL would make them.
    const edited = await orm.em
      .fork()
      .execute<{ id: string }[]>('update pricebook_materials set price = price + 1 returning id');
    await sb.control.resetStats();
    const syncLogId = randomUUID();
    const command = createMessage('push.command', {
      id: `push:${syncLogId}`,
      tenant: TENANT,
      correlationId: syncLogId,
      data: { syncLogId, entityTypes: ['materials'] },
    });
    const start = performance.now();
    await runPush(
      {
        orm,
        clients: singleTenantClients(TENANT, st, randomUUID()),
        hardDelete: false,
        batchSize: 200,
        bulkMin: mode === 'bulk' ? 10 : 1_000_000,
        // The benchmark changes every price on purpose: no brake.
        limits: noPushBrake,
      },
      command,
      log,
      1,
    );
    const ms = performance.now() - start;
    const [left] = await orm.em
      .fork()
      .execute<{ n: string }[]>(
        `select count(*) as n from pricebook_materials where sync_status <> 'synced'`,
      );
    const stats = await sb.control.stats();
    const byPath = Object.fromEntries(Object.entries(stats.byPath).map(([k, v]) => [k, v.count]));
    return {
      mode,
      edits: EDITS,
      seconds: +(ms / 1000).toFixed(2),
      itemsPerSecond: Math.round(edited.length / (ms / 1000)),
      stRequests: stats.totalRequests,
      byPath,
      notSynced: Number(left?.n),
    };
  } finally {
    await orm.close();
    await db.drop();
    await sb.stop();
  }
}

const results = [await runOnce('bulk'), await runOnce('single')];
for (const r of results) console.log(JSON.stringify(r, null, 2));
