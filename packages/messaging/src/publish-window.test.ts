import type { JetStreamClient } from '@nats-io/jetstream';
import { streams } from '@pricebook/contracts';
import { describe, expect, it } from 'vitest';
import { provision } from './provision';
import { PublishWindow } from './publish-window';
import { natsForFile, observed } from './test-support';

const nats = natsForFile((started) =>
  provision(started.jsm, { streams: Object.values(streams), consumers: [] }).then(() => undefined),
);

const count = async () => (await nats.jsm.streams.info('PRICEBOOK_PIPELINE')).state.messages;
const settle = async () => {
  for (let i = 0; i < 20; i++) await new Promise((r) => setImmediate(r));
};

/**
 * The real JetStream client, but each publish reaches the server only once the test lets it:
 * acknowledgements as slow as the test wants, without timing anything.
 */
function heldBack(js: JetStreamClient): { js: JetStreamClient; waiting(): number; release(n: number): void } {
  const queue: Array<() => void> = [];
  const held = Object.create(js) as JetStreamClient;
  held.publish = async (...args: Parameters<JetStreamClient['publish']>) => {
    await new Promise<void>((resolve) => queue.push(resolve));
    return js.publish(...args);
  };
  return {
    js: held,
    waiting: () => queue.length,
    release: (n) => {
      for (const go of queue.splice(0, n)) go();
    },
  };
}

describe('PublishWindow', () => {
  it('holds the producer back while its limit of acknowledgements is outstanding', async () => {
    const before = await count();
    const slow = heldBack(nats.js);
    const window = new PublishWindow(slow.js, { limit: 3 });
    for (const id of [1, 2, 3]) await window.add(observed(id));
    expect(window.outstanding).toBe(3);

    let fourthAdded = false;
    const fourth = window.add(observed(4)).then(() => {
      fourthAdded = true;
    });
    await settle();
    expect(fourthAdded).toBe(false);
    expect(slow.waiting()).toBe(3);

    slow.release(1);
    await fourth;
    expect(window.outstanding).toBe(3);

    let drained = false;
    const draining = window.drain().then((r) => {
      drained = true;
      return r;
    });
    await settle();
    expect(drained).toBe(false);
    slow.release(3);
    expect(await draining).toEqual({ published: 4, duplicates: 0 });
    expect(await count()).toBe(before + 4);
  });

  it('counts duplicates and throws the first failure from the next add', async () => {
    const window = new PublishWindow(nats.js, { limit: 2 });
    for (const id of [10, 11, 10]) await window.add(observed(id));
    expect(await window.drain()).toEqual({ published: 3, duplicates: 1 });

    const failing = new PublishWindow(nats.js, { limit: 1 });
    await failing.add({ ...observed(12), data: { ...observed(12).data, hash: 'NOT HEX' } });
    await expect(failing.add(observed(13))).rejects.toMatchObject({ code: 'validation_failed' });
    await expect(failing.drain()).rejects.toMatchObject({ code: 'validation_failed' });
  });
});
