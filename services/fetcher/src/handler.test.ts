import { jetstream } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { createMessage, entityTypes, messageIds } from '@pricebook/contracts';
import { type BatchHandler, type PoisonRecord, publish, runConsumer } from '@pricebook/messaging';
import { forFile } from '@pricebook/testing/vitest';
import { beforeAll, describe, expect, it } from 'vitest';
import { fetcherHandler } from './handler';
import {
  drainPipeline,
  handlerDeps,
  pipelineCount,
  silentLog,
  startTenantsWorld,
  syncCommand,
  testFetcherConsumer,
  until,
} from './test-support';

const world = forFile(() => startTenantsWorld({ items: 800, seed: 8 }));
let itemCount = 0;

beforeAll(async () => {
  for (const entity of entityTypes) itemCount += (await world.sb.control.items(entity)).length;
});

const commandsSettled = async () => {
  const info = await world.jsm.consumers.info('PRICEBOOK_COMMANDS', testFetcherConsumer.name);
  return info.num_pending === 0 && info.num_ack_pending === 0;
};

/** The fetcher's handler, noting the delivery count of every command it is handed. */
function recordingHandler(js = world.js, deliveries: number[] = []): BatchHandler<'sync.command'> {
  const inner = fetcherHandler(handlerDeps(world, { js }));
  return (batch, ctx) => {
    for (const d of batch) deliveries.push(d.deliveryCount);
    return inner(batch, ctx);
  };
}

describe('the fetcher consumer', () => {
  it('runs a published sync command and acks it once every entity is fenced', async () => {
    const poisoned: PoisonRecord[] = [];
    const runner = runConsumer({
      js: world.js,
      consumer: testFetcherConsumer,
      batchSize: 1,
      log: silentLog,
      handler: recordingHandler(),
      onPoison: (p) => {
        poisoned.push(p);
      },
    });
    try {
      const command = syncCommand(world, { fullSync: true });
      await publish(world.js, command);
      const foreign = createMessage('sync.command', {
        id: 'sync:foreign',
        tenant: '999',
        correlationId: 'foreign',
        data: { syncLogId: '11111111-2222-4333-8444-555555555555', fullSync: true },
      });
      await publish(world.js, foreign);
      await until('both commands to be settled', commandsSettled);

      const { observed, fences: all } = await drainPipeline(world);
      const fences = all.filter((f) => f.data.syncLogId === command.data.syncLogId);
      expect(fences.map((f) => f.data.entity)).toEqual([...entityTypes]);
      expect(fences.every((f) => f.tenant === world.sb.tenantId)).toBe(true);
      expect(observed).toHaveLength(itemCount);
      expect(new Set(observed.map((m) => m.id)).size).toBe(itemCount);
      // A tenant the directory does not know: its sync fails with the reason, nothing is read.
      expect(poisoned).toEqual([]);
      const refused = all.filter((f) => f.data.syncLogId === foreign.data.syncLogId);
      expect(refused.map((f) => [f.tenant, f.data])).toEqual([
        [
          '999',
          {
            syncLogId: foreign.data.syncLogId,
            entity: entityTypes[0],
            published: 0,
            errors: 0,
            failed: { code: 'not_found', message: 'no tenant 999' },
          },
        ],
      ]);
    } finally {
      await runner.stop();
    }
  });

  it('fetches a command again after a crash mid-fetch, publishing no duplicates', async () => {
    const command = syncCommand(world, { fullSync: true });
    const deliveries: number[] = [];
    // Slow materials down so the first runner is surely mid-fetch when its process "dies".
    await world.sb.control.setFaults({ latencyMs: 3_000, pathPattern: '/materials' });
    const doomed = await connect({ servers: world.nats.url, name: 'doomed-fetcher' });
    const doomedJs = jetstream(doomed);
    const first = runConsumer({
      js: doomedJs,
      consumer: testFetcherConsumer,
      batchSize: 1,
      log: silentLog,
      handler: recordingHandler(doomedJs, deliveries),
    });
    await publish(world.js, command);
    await until('the first runner to publish part of the sync', async () => (await pipelineCount(world)) > 0);
    await doomed.close();
    await first.stopped;
    await world.sb.control.clearFaults();
    const partial = await pipelineCount(world);
    expect(partial).toBeGreaterThan(0);
    expect(partial).toBeLessThan(itemCount);

    const second = runConsumer({
      js: world.js,
      consumer: testFetcherConsumer,
      batchSize: 1,
      log: silentLog,
      handler: recordingHandler(world.js, deliveries),
    });
    try {
      await until(
        'the command to be fetched again and acked',
        async () => deliveries.length >= 2 && (await commandsSettled()),
      );
    } finally {
      await second.stop();
    }
    expect(deliveries).toEqual([1, 2]);
    const { observed, fences } = await drainPipeline(world);
    const ids = observed.map((m) => m.id);
    expect(ids).toHaveLength(itemCount);
    expect(new Set(ids).size).toBe(itemCount);
    expect(observed.every((m) => m.data.syncLogId === command.data.syncLogId)).toBe(true);
    expect(fences.map((f) => f.id)).toEqual(
      entityTypes.map((entity) => messageIds.fence({ syncLogId: command.data.syncLogId, entity })),
    );
  });
});
