import { jetstream } from '@nats-io/jetstream';
import { streams } from '@pricebook/contracts';
import { describe, expect, it } from 'vitest';
import { connectNats } from './connect';
import { runConsumer } from './consumer-runner';
import { provision } from './provision';
import { publish } from './publish';
import { captureLog, natsForFile, observed, quickComparator, until } from './test-support';

const nats = natsForFile();

const comparator = quickComparator();

/** Publishes once the server takes it again (the publisher reconnects too). */
async function publishWhenUp(stId: number) {
  await until(`publish of ${stId}`, async () => {
    try {
      await publish(nats.js, observed(stId), { timeoutMs: 1_000 });
      return true;
    } catch {
      return false;
    }
  });
}

describe('runConsumer across a NATS restart', () => {
  it('resumes and handles messages published after the server came back', async () => {
    await provision(nats.jsm, { streams: Object.values(streams), consumers: [comparator] });
    const { log, lines } = captureLog();
    const nc = await connectNats({
      url: nats.server.url,
      name: 'comparator',
      log,
      options: { reconnectTimeWait: 250 },
    });
    const handled: number[] = [];
    const runner = runConsumer({
      js: jetstream(nc),
      consumer: comparator,
      log,
      maxWaitMs: 1_000,
      handler: async (batch) => {
        handled.push(...batch.map((d) => d.message.data.stId));
        return undefined;
      },
    });

    await publish(nats.js, observed(1));
    await until('the message before the restart', () => handled.includes(1));

    await nats.server.stop();
    await nats.server.start();
    await publishWhenUp(2);
    await publishWhenUp(3);
    await until('the messages after the restart', () => handled.includes(2) && handled.includes(3));
    await until(
      'their acks',
      async () => (await nats.jsm.streams.info('PRICEBOOK_PIPELINE')).state.messages === 0,
    );

    await runner.stop();
    await nc.close();
    expect(new Set(handled)).toEqual(new Set([1, 2, 3]));
    const said = lines.map((l) => l.msg);
    expect(said).toContain('nats disconnected');
    expect(said).toContain('nats reconnected');
  });
});
