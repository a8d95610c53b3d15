import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { createLogger } from '@pricebook/logger';
import { forFile } from '@pricebook/testing/vitest';
import { describe, expect, it } from 'vitest';
import { driftCheckId, driftTick, startDriftChecks } from './drift-checks';
import { everySecond, startSchedulerHarness } from './test-support';

const log = createLogger({ service: 'scheduler-test', level: 'silent' });

describe('timed drift checks', () => {
  const h = forFile(() => startSchedulerHarness(), 60_000);

  it('derive one check id per tenant and tick, the same on every replica', () => {
    const at = new Date('2026-12-07T03:30:00.000Z');
    expect(driftCheckId('1001', at)).toBe(driftCheckId('1001', at));
    expect(driftCheckId('1001', at)).not.toBe(driftCheckId('1002', at));
    expect(driftCheckId('1001', at)).not.toBe(driftCheckId('1001', new Date('2026-12-08T03:30:00.000Z')));
    expect(driftTick('1001', at)).toMatchObject({
      id: `drift:${driftCheckId('1001', at)}`,
      type: 'drift.command',
      data: { checkId: driftCheckId('1001', at), trigger: 'schedule' },
    });
  });

  it('send each active tenant one check per tick however many replicas run, and a paused tenant none', async () => {
    await h.addTenant('3002');
    await h.addTenant('3003');
    await h.tenants.setStatus('3003', 'paused');
    const ncs = await Promise.all([1, 2].map(() => connect({ servers: h.nats.url })));
    const parts = ncs.map((nc) =>
      startDriftChecks({
        js: jetstream(nc),
        log,
        tenants: () => h.tenants.list(),
        cron: everySecond,
        timezone: 'UTC',
      }),
    );
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    await Promise.all(parts.map((p) => p.stop()));
    const jsm = await jetstreamManager(ncs[0] ?? (await connect({ servers: h.nats.url })));
    const info = await jsm.streams.info('PRICEBOOK_COMMANDS', {
      subjects_filter: 'pricebook.cmd.*.drift.v1',
    });
    const counts = info.state.subjects ?? {};
    const env = counts[`pricebook.cmd.${h.tenant}.drift.v1`] ?? 0;
    expect(env).toBeGreaterThanOrEqual(2);
    expect(counts['pricebook.cmd.3002.drift.v1']).toBe(env);
    expect(counts['pricebook.cmd.3003.drift.v1']).toBeUndefined();
    await Promise.all(ncs.map((nc) => nc.close()));
  });
});
