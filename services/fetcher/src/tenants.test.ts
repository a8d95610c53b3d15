import { type EntityType, entityTypes, type Message } from '@pricebook/contracts';
import {
  type BatchHandler,
  type PoisonRecord,
  publish,
  runConsumer,
  tenantPipelineBacklog,
} from '@pricebook/messaging';
import type { SandboxControl } from '@pricebook/testing';
import { forFile } from '@pricebook/testing/vitest';
import { describe, expect, it } from 'vitest';
import type { BacklogSettings } from './backlog';
import { fetcherHandler } from './handler';
import { runnerPool } from './runners';
import {
  drainPipeline,
  handlerDeps,
  type Pipeline,
  silentLog,
  startTenantsWorld,
  syncCommand,
  testFetcherConsumer,
  until,
} from './test-support';

// One fetcher (a pool of runners on one durable) serving several tenants of one sandbox: the
// environment's tenant and tenants added to the directory as the API adds them.

const world = forFile(() => startTenantsWorld({ items: 900, seed: 21 }));

const commandsSettled = async () => {
  const info = await world.jsm.consumers.info('PRICEBOOK_COMMANDS', testFetcherConsumer.name);
  return info.num_pending === 0 && info.num_ack_pending === 0;
};

/** Every id of a sandbox tenant's pricebook, by entity. */
async function idsOf(control: SandboxControl): Promise<Record<EntityType, number[]>> {
  const out = {} as Record<EntityType, number[]>;
  for (const entity of entityTypes)
    out[entity] = (await control.items(entity)).map((i) => i.id).sort(byNumber);
  return out;
}
const byNumber = (a: number, b: number) => a - b;
const count = (ids: Record<EntityType, number[]>) => entityTypes.reduce((n, e) => n + ids[e].length, 0);

/** What the pipeline holds of one sync, record ids by entity. */
function ofSync(pipeline: Pipeline, command: Message<'sync.command'>) {
  const { syncLogId } = command.data;
  const observed = pipeline.observed.filter((m) => m.data.syncLogId === syncLogId);
  const ids = {} as Record<EntityType, number[]>;
  for (const entity of entityTypes) {
    ids[entity] = observed
      .filter((m) => m.data.entity === entity)
      .map((m) => m.data.stId)
      .sort(byNumber);
  }
  const fences = pipeline.fences.filter((f) => f.data.syncLogId === syncLogId);
  return { observed, ids, fences, tenants: new Set([...observed, ...fences].map((m) => m.tenant)) };
}

/**
 * Takes every pipeline message, as the comparator and the applier would, into `into` until every
 * command is settled and the pipeline is empty.
 */
async function drainUntilSettled(into: Pipeline): Promise<void> {
  const empty = async () => (await world.jsm.streams.info('PRICEBOOK_PIPELINE')).state.messages === 0;
  for (;;) {
    const taken = await drainPipeline(world);
    into.observed.push(...taken.observed);
    into.decided.push(...taken.decided);
    into.fences.push(...taken.fences);
    if ((await commandsSettled()) && (await empty())) return;
    await until('more to be published, or every command to be done', async () => {
      return !(await empty()) || (await commandsSettled());
    });
  }
}

/** A pool of fetcher runners; notes each command's delivery counts by sync id. */
function startFetcher(options: { runners?: number; backlog?: BacklogSettings } = {}) {
  const deliveries = new Map<string, number[]>();
  const poisoned: PoisonRecord[] = [];
  const inner = fetcherHandler(handlerDeps(world, { backlog: options.backlog }));
  const handler: BatchHandler<'sync.command'> = (batch, ctx) => {
    for (const d of batch) {
      const seen = deliveries.get(d.message.data.syncLogId) ?? [];
      deliveries.set(d.message.data.syncLogId, [...seen, d.deliveryCount]);
    }
    return inner(batch, ctx);
  };
  const pool = runnerPool(options.runners ?? 2, (signal) =>
    runConsumer({
      js: world.js,
      consumer: testFetcherConsumer,
      batchSize: 1,
      log: silentLog,
      handler,
      onPoison: (p) => {
        poisoned.push(p);
      },
      signal,
    }),
  );
  return { pool, deliveries, poisoned };
}

/**
 * Full syncs of the world's own tenant (A) and of `tenantB`, published in the order given to one
 * fetcher, which is stopped once both are settled; then what they put in the pipeline.
 */
async function fetchBoth(tenantB: string, order: 'A first' | 'B first') {
  const fetcher = startFetcher();
  const [commandA, commandB] = [
    syncCommand(world, { fullSync: true }),
    syncCommand(world, { fullSync: true }, tenantB),
  ];
  try {
    for (const command of order === 'A first' ? [commandA, commandB] : [commandB, commandA]) {
      await publish(world.js, command);
    }
    await until('both commands to be settled', commandsSettled);
  } finally {
    await fetcher.pool.stop();
  }
  return { fetcher, commandA, commandB, pipeline: await drainPipeline(world) };
}

describe('a fetcher serving several tenants', () => {
  it("fetches each tenant's pricebook with that tenant's own credentials", async () => {
    const b = await world.addTenant({ tenantId: '3101', items: 150, seed: 5 });
    const [idsA, idsB] = [await idsOf(world.sb.control), await idsOf(world.sb.control.forTenant(b.tenantId))];
    const { fetcher, commandA, commandB, pipeline } = await fetchBoth(b.tenantId, 'A first');
    for (const [command, ids] of [
      [commandA, idsA],
      [commandB, idsB],
    ] as const) {
      const sync = ofSync(pipeline, command);
      expect(sync.tenants).toEqual(new Set([command.tenant]));
      expect(sync.ids).toEqual(ids);
      expect(sync.fences.map((f) => [f.data.entity, f.data.published, f.data.failed])).toEqual(
        entityTypes.map((e) => [e, ids[e].length, undefined]),
      );
    }
    expect(fetcher.poisoned).toEqual([]);
  });

  it("fails a paused tenant's sync with its reason and fetches the other tenant's", async () => {
    const b = await world.addTenant({ tenantId: '3102', items: 60, seed: 6 });
    await world.tenants.setStatus(b.tenantId, 'paused');
    const idsA = await idsOf(world.sb.control);
    const { fetcher, commandA, commandB, pipeline } = await fetchBoth(b.tenantId, 'B first');
    const syncB = ofSync(pipeline, commandB);
    expect(syncB.observed).toEqual([]);
    expect(syncB.fences.map((f) => [f.tenant, f.data.entity, f.data.failed])).toEqual([
      [b.tenantId, entityTypes[0], { code: 'tenant_unavailable', message: `tenant ${b.tenantId} is paused` }],
    ]);
    const syncA = ofSync(pipeline, commandA);
    expect(syncA.ids).toEqual(idsA);
    expect(syncA.fences.map((f) => f.data.failed)).toEqual(entityTypes.map(() => undefined));
    expect(fetcher.poisoned).toEqual([]);
  });

  it('fails only the sync of the tenant whose credentials ServiceTitan refuses', async () => {
    const b = await world.addTenant(
      { tenantId: '3103', items: 60, seed: 7 },
      { clientSecret: 'not-the-secret' },
    );
    const idsA = await idsOf(world.sb.control);
    const { commandA, commandB, pipeline } = await fetchBoth(b.tenantId, 'B first');
    const syncB = ofSync(pipeline, commandB);
    expect(syncB.observed).toEqual([]);
    expect(syncB.fences.map((f) => [f.tenant, f.data.entity, f.data.failed])).toEqual([
      [
        b.tenantId,
        entityTypes[0],
        { code: 'unauthorized', message: 'ServiceTitan refused the client credentials (400)' },
      ],
    ]);
    const syncA = ofSync(pipeline, commandA);
    expect(syncA.ids).toEqual(idsA);
    expect(syncA.fences.map((f) => f.data.failed)).toEqual(entityTypes.map(() => undefined));
  });

  it("holds a large sync at its tenant's backlog limit while a small tenant's sync publishes all of it", async () => {
    const limit = 400;
    const backlog = { limit, pollMs: 100 };
    const b = await world.addTenant({ tenantId: '3104', items: 80, seed: 8 });
    const [idsA, idsB] = [await idsOf(world.sb.control), await idsOf(world.sb.control.forTenant(b.tenantId))];
    // A alone would fill the pipeline several times over; all of B (and its fences) fits.
    expect(count(idsA)).toBeGreaterThan(2 * limit);
    expect(count(idsB) + entityTypes.length).toBeLessThan(limit);
    const stored = (tenant: string) => tenantPipelineBacklog(world.jsm, tenant);
    const [commandA, commandB] = [
      syncCommand(world, { fullSync: true }),
      syncCommand(world, { fullSync: true }, b.tenantId),
    ];

    // Nothing consumes the pipeline: A stops at the limit, B still publishes everything.
    let fetcher = startFetcher({ backlog });
    const pipeline: Pipeline = { observed: [], decided: [], fences: [] };
    try {
      await publish(world.js, commandA);
      await until('A to reach its backlog limit', async () => (await stored(world.sb.tenantId)) >= limit);
      await publish(world.js, commandB);
      await until(
        'all of B to be published',
        async () => (await stored(b.tenantId)) === count(idsB) + entityTypes.length,
      );
      expect(await stored(world.sb.tenantId)).toBe(limit);
      // A's command was kept alive while it waited: never delivered again.
      expect(fetcher.deliveries.get(commandA.data.syncLogId)).toEqual([1]);

      // Shutdown ends the wait: A's command goes back to the stream, unfinished.
      await fetcher.pool.stop();
      expect(await stored(world.sb.tenantId)).toBe(limit);
      expect(await commandsSettled()).toBe(false);

      // Drained, both finish; A's command is fetched again by a fresh pool.
      fetcher = startFetcher({ backlog });
      await drainUntilSettled(pipeline);
    } finally {
      await fetcher.pool.stop();
    }
    const syncA = ofSync(pipeline, commandA);
    const syncB = ofSync(pipeline, commandB);
    expect(syncB.ids).toEqual(idsB);
    expect(syncA.ids).toEqual(idsA);
    for (const [sync, ids] of [
      [syncA, idsA],
      [syncB, idsB],
    ] as const) {
      expect(sync.fences.map((f) => [f.data.entity, f.data.published, f.data.failed])).toEqual(
        entityTypes.map((e) => [e, ids[e].length, undefined]),
      );
    }
    // The second pool finished A: the command came back to it after the shutdown.
    expect(fetcher.deliveries.get(commandA.data.syncLogId)?.[0]).toBeGreaterThan(1);
  });

  it('waits at the limit through a NATS outage and finishes once the pipeline drains', async () => {
    const limit = 300;
    const idsA = await idsOf(world.sb.control);
    const command = syncCommand(world, { fullSync: true });
    const fetcher = startFetcher({ backlog: { limit, pollMs: 100 } });
    const pipeline: Pipeline = { observed: [], decided: [], fences: [] };
    try {
      await publish(world.js, command);
      await until('A to reach its backlog limit', async () => {
        return (await tenantPipelineBacklog(world.jsm, world.sb.tenantId)) >= limit;
      });
      // The waiting sync's next look at the backlog fails while NATS is down.
      await world.nats.stop();
      await world.nats.start();
      await until('NATS to answer the test again', async () => {
        try {
          await world.jsm.streams.info('PRICEBOOK_PIPELINE');
          return true;
        } catch {
          return false;
        }
      });
      await drainUntilSettled(pipeline);
    } finally {
      await fetcher.pool.stop();
    }
    // A restarted server forgets the ids of messages it stored before it stopped, so a sync
    // fetched again after the outage may repeat records: the pipeline takes them idempotently.
    const sync = ofSync(pipeline, command);
    const unique = (ids: number[]) => [...new Set(ids)];
    expect(Object.fromEntries(entityTypes.map((e) => [e, unique(sync.ids[e])]))).toEqual(idsA);
    const fences = new Map(sync.fences.map((f) => [f.data.entity, f.data]));
    expect(entityTypes.map((e) => [e, fences.get(e)?.published, fences.get(e)?.failed])).toEqual(
      entityTypes.map((e) => [e, idsA[e].length, undefined]),
    );
    expect(fetcher.poisoned).toEqual([]);
  });
});
