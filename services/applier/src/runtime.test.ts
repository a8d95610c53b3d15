import { setTimeout as sleep } from 'node:timers/promises';
import { jetstream } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { consumers } from '@pricebook/contracts';
import { createSync as queueApiSync } from '@pricebook/db';
import { provision, publish } from '@pricebook/messaging';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { loadApplierEnv } from './env';
import { applierConsumers } from './jobs';
import { type ApplierRuntime, startApplier } from './runtime';
import { fence, type Harness, resetDatabase, startHarness, syncLog, tenant } from './test-support';

let h: Harness;
const started: ApplierRuntime[] = [];

beforeAll(async () => {
  h = await startHarness();
  await provision(h.jsm, { consumers: [consumers.pusher, consumers.resolver, consumers.inbound] });
  await resetDatabase(h);
});
afterAll(async () => {
  await Promise.all(started.map((r) => r.stop()));
  await h?.close();
});

/** An applier instance as main.ts starts it: settings from an environment without any ST credentials. */
function instance(jobs: string): ApplierRuntime {
  const env = loadApplierEnv({
    ST_TENANT_ID: tenant,
    APPLIER_JOBS: jobs,
    APPLIER_PROGRESS_INTERVAL_MS: '0',
    RELAY_IDLE_MS: '20',
  });
  const runtime = startApplier({ orm: h.orm, js: h.js, log: h.log, env });
  started.push(runtime);
  return runtime;
}

async function pendingPushes(): Promise<number> {
  const info = await h.jsm.consumers.info(consumers.pusher.stream, consumers.pusher.name);
  return info.num_pending + info.num_ack_pending;
}

describe('APPLIER_JOBS', () => {
  it('reads a comma list, all jobs by default, and refuses an unknown job', () => {
    expect(loadApplierEnv({ ST_TENANT_ID: tenant }).APPLIER_JOBS).toEqual([
      'pipeline',
      'commands',
      'write-back',
    ]);
    expect(
      loadApplierEnv({ ST_TENANT_ID: tenant, APPLIER_JOBS: ' write-back , pipeline' }).APPLIER_JOBS,
    ).toEqual(['write-back', 'pipeline']);
    expect(() => loadApplierEnv({ ST_TENANT_ID: tenant, APPLIER_JOBS: 'pipeline,relay' })).toThrow(
      /APPLIER_JOBS/,
    );
    expect(() => loadApplierEnv({ ST_TENANT_ID: tenant, APPLIER_JOBS: '' })).toThrow(/APPLIER_JOBS/);
  });

  it('names the consumers of the jobs an instance runs, for its health check', () => {
    expect(applierConsumers(['write-back']).map((c) => c.name)).toEqual([consumers.pusher.name]);
    expect(applierConsumers().map((c) => c.name)).toEqual(
      [consumers.applier, consumers.fence, consumers.resolver, consumers.inbound, consumers.pusher].map(
        (c) => c.name,
      ),
    );
  });

  it('lets an instance without write-back run without ST credentials, leaving the push to an instance that runs it', async () => {
    const fetching = instance('pipeline,commands');
    expect(fetching.jobs).toEqual(['pipeline', 'commands']);
    const { syncLogId } = await queueApiSync(h.orm.em.fork(), {
      tenantId: tenant,
      syncType: 'incremental',
      options: { direction: 'bidirectional', entityTypes: ['materials'] },
      staleAfterMs: 600_000,
    });
    // The fetch part ends at the fence; the pipeline hands the sync to the push.
    await publish(h.js, fence(syncLogId, { published: 0 }));
    await vi.waitFor(async () => expect(await pendingPushes()).toBe(1), { timeout: 30_000, interval: 50 });
    // Nobody here takes the push: without write-back the instance would otherwise fail the sync
    // for want of credentials.
    await sleep(500);
    expect(await pendingPushes()).toBe(1);
    expect(await syncLog(h, syncLogId)).toMatchObject({ status: 'pushing' });

    instance('write-back');
    await vi.waitFor(
      async () =>
        expect(await syncLog(h, syncLogId)).toMatchObject({
          status: 'failed',
          error_message: expect.stringMatching(/^push_not_configured/),
        }),
      { timeout: 30_000, interval: 50 },
    );
    expect(await pendingPushes()).toBe(0);
  });
});

describe('an instance whose loops end unasked', () => {
  it('says so through `stopped`, which the service kit turns into an exit for its supervisor', async () => {
    const nc = await connect({ servers: h.server.url });
    const env = loadApplierEnv({ ST_TENANT_ID: tenant, RELAY_IDLE_MS: '20' });
    const runtime = startApplier({ orm: h.orm, js: jetstream(nc), log: h.log, env });
    let ended = false;
    void runtime.stopped.then(() => {
      ended = true;
    });
    await sleep(300);
    expect(ended).toBe(false);

    await nc.close();
    await vi.waitFor(() => expect(ended).toBe(true), { timeout: 30_000, interval: 50 });
    await runtime.stop();
  });
});
