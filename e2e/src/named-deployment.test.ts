import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { describe, expect } from 'vitest';
import { outboxDrained, sync, test } from './test-support';

test.scoped({ stackOptions: { sandbox: { items: 60, seed: 5 }, env: { NATS_DEPLOYMENT: 'acme' } } });

// A deployment named for a shared NATS account: every service and provisioning use its names,
// so a whole sync runs through ACME_* streams and acme-* durables, and nothing lands elsewhere.
describe('a named deployment', () => {
  test('syncs end to end on its own streams and durables', async ({ stack, sql: db }) => {
    const result = await sync(stack, 'full');
    expect(result).toMatchObject({ success: true, status: 'completed' });
    await outboxDrained(db);

    const nc = await connect({ servers: stack.nats.url });
    try {
      const jsm = await jetstreamManager(nc);
      const streams = (await jsm.streams.names().next()).sort();
      expect(streams).toEqual([
        'ACME_PRICEBOOK_COMMANDS',
        'ACME_PRICEBOOK_EVENTS',
        'ACME_PRICEBOOK_INBOUND',
        'ACME_PRICEBOOK_PIPELINE',
        'KV_acme_pricebook_scheduler',
      ]);
      const events = await jsm.streams.info('ACME_PRICEBOOK_EVENTS', {
        subjects_filter: 'acme.pricebook.events.*.*.created.v1',
      });
      const created = Object.values(events.state.subjects ?? {}).reduce((a, b) => a + b, 0);
      expect(created).toBe(result.stats.created);
      const applier = await jsm.consumers.info('ACME_PRICEBOOK_PIPELINE', 'acme-applier');
      expect(applier.num_pending + applier.num_ack_pending).toBe(0);
    } finally {
      await nc.close();
    }
  });
});
