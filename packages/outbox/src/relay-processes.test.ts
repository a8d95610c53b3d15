import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { count, type Harness, startHarness, streamMessages, tenant } from './test-support';

const script = fileURLToPath(new URL('./test-relay-process.ts', import.meta.url));

interface RelayProcess {
  child: ChildProcess;
  output: () => string;
}

async function startRelayProcess(h: Harness): Promise<RelayProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', script], {
    env: { ...process.env, DATABASE_URL: h.db.url, NATS_URL: h.server.url },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    out += chunk.toString();
  });
  await vi.waitFor(() => expect(out).toContain('ready\n'), { timeout: 30_000, interval: 50 });
  return { child, output: () => out };
}

/** Stops a relay process and returns the message ids it published. */
async function stopRelayProcess(p: RelayProcess): Promise<string[]> {
  const exited = once(p.child, 'exit');
  p.child.kill('SIGTERM');
  await exited;
  const last = p.output().trim().split('\n').at(-1) ?? '[]';
  return JSON.parse(last) as string[];
}

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h?.close());

describe('outbox relays in two processes at once', () => {
  it('publish every row exactly once between them', async () => {
    const relays = await Promise.all([startRelayProcess(h), startRelayProcess(h)]);
    // Written while both poll, in many statements, as writers in several processes would.
    for (let i = 0; i < 30; i++) {
      await h.sql(
        `insert into pricebook_materials (tenant_id, data)
         select ?, jsonb_build_object('code', 'P-' || ? || '-' || g, 'price', g) from generate_series(1, 40) g`,
        [tenant, i],
      );
    }
    await vi.waitFor(
      async () =>
        expect(await count(h, 'select count(*) as n from pricebook_outbox where published_at is null')).toBe(
          0,
        ),
      { timeout: 60_000, interval: 50 },
    );
    const [a, b] = await Promise.all(relays.map(stopRelayProcess));
    const rows = await h.sql<{ id: string }>('select id from pricebook_outbox');
    expect(rows).toHaveLength(1200);

    const all = [...(a ?? []), ...(b ?? [])];
    expect(all).toHaveLength(1200);
    expect(new Set(all)).toEqual(new Set(rows.map((r) => r.id)));
    // Both took part: the rows were shared out, not relayed by whichever came first.
    expect(a?.length).toBeGreaterThan(0);
    expect(b?.length).toBeGreaterThan(0);
    expect(await streamMessages(h, 'PRICEBOOK_EVENTS')).toHaveLength(1200);
  });
});
