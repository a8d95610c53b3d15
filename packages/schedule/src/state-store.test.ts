import { connect } from '@nats-io/transport-node';
import { startTestNats } from '@pricebook/testing';
import { describe, expect, it } from 'vitest';
import { openSchedulerState } from './state-store';

describe('the scheduler switch', () => {
  // Under load, NATS 2.9 can refuse the second of two simultaneous creates of the same bucket
  // ("subjects overlap with an existing stream"); the loser must open the winner's bucket.
  it('opens for every replica that starts at the same instant on a server with no bucket yet', async () => {
    const nats = await startTestNats();
    const connections = await Promise.all(Array.from({ length: 8 }, () => connect({ servers: nats.url })));
    try {
      const states = await Promise.all(connections.map((nc) => openSchedulerState(nc, '4001')));
      await states[0]?.setEnabled(false, 'test');
      for (const state of states) expect(await state.isEnabled(true)).toBe(false);
    } finally {
      await Promise.all(connections.map((nc) => nc.close()));
      await nats.stop();
    }
  });
});
