import type { RetryPolicy } from '@pricebook/contracts';
import { beforeEach, describe, expect, it } from 'vitest';
import type { ConsumerMetrics, SettleOutcome } from './batch';
import type { PoisonRecord } from './decode';
import { publish } from './publish';
import { freshStreams, natsForFile, observed, quickComparator, runQuick, until } from './test-support';

const nats = natsForFile();

/** A short ack wait, so a held message would be redelivered (and counted) quickly if not kept alive. */
const comparator = quickComparator('test-comparator-outage');
/** One delivery only: a try spent on the outage would dead-letter the message at once. */
const oneTry: RetryPolicy = { maxDeliveries: 1, backoffMs: [50] };

beforeEach(() => freshStreams(nats, [comparator]));

const consumerInfo = () => nats.jsm.consumers.info('PRICEBOOK_PIPELINE', comparator.name);
const pipelineCount = async () => (await nats.jsm.streams.info('PRICEBOOK_PIPELINE')).state.messages;

/** What the `pg` driver throws when PostgreSQL is not listening. */
const refused = () =>
  Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5999'), {
    code: 'ECONNREFUSED',
    syscall: 'connect',
  });

/** A dependency the test takes down and brings back, with a probe that counts its calls. */
function dependency() {
  const state = { down: true, probes: 0 };
  const probe = async () => {
    state.probes += 1;
    if (state.down) throw refused();
  };
  return { state, probe };
}

function recordingMetrics() {
  const waits: Array<string | undefined> = [];
  const settled: Array<[SettleOutcome, number]> = [];
  const metrics: ConsumerMetrics = {
    settled: (_consumer, outcome, count) => {
      if (count > 0) settled.push([outcome, count]);
    },
    waiting: (_consumer, dep) => {
      if (waits.at(-1) !== dep) waits.push(dep);
    },
  };
  return { metrics, waits, settled };
}

describe('runConsumer through an outage', () => {
  it('pauses intake, keeps its messages on their first delivery, and resumes once the database is back', async () => {
    const { state, probe } = dependency();
    const { metrics, waits, settled } = recordingMetrics();
    const handled: Array<[number, number]> = [];
    const poison: PoisonRecord[] = [];
    await publish(nats.js, observed(1));
    const runner = runQuick(nats, comparator, {
      retryPolicy: () => oneTry,
      probe,
      metrics,
      onPoison: (p) => {
        poison.push(p);
      },
      handler: async (batch) => {
        if (state.down) throw refused();
        handled.push(...batch.map((d): [number, number] => [d.message.data.stId, d.deliveryCount]));
        return undefined;
      },
    });
    await until('the runner to pause for the database', () => runner.waitingFor() === 'database');
    await publish(nats.js, observed(2));
    // Several probes span more than the ack wait: the held message must still be on delivery 1.
    await until('the outage to outlast the ack wait', () => state.probes >= 4, 60_000);
    expect((await consumerInfo()).num_redelivered).toBe(0);
    expect(handled).toEqual([]); // message 2 waits behind the outage too

    state.down = false;
    await until('both messages to be handled', async () => (await pipelineCount()) === 0);
    await runner.stop();
    expect(handled).toEqual([
      [1, 1],
      [2, 1],
    ]);
    expect(poison).toEqual([]);
    expect(settled.filter(([outcome]) => outcome !== 'ack')).toEqual([]);
    expect(waits).toEqual(['database', undefined]);
    expect(runner.waitingFor()).toBeUndefined();
  });

  it('records a dead letter on the same delivery once the database it is recorded in is back', async () => {
    const { state, probe } = dependency();
    const tries: number[] = [];
    await nats.js.publish('pricebook.pipe.1001.materials.observed.v1', 'not json{');
    const runner = runQuick(nats, comparator, {
      retryPolicy: () => oneTry,
      probe,
      onPoison: (p) => {
        tries.push(p.deliveryCount);
        if (state.down) throw refused();
      },
      handler: async () => undefined,
    });
    await until('the runner to pause for the database', () => runner.waitingFor() === 'database');
    state.down = false;
    await until('the message to be terminated', async () => (await pipelineCount()) === 0);
    await runner.stop();
    expect(new Set(tries)).toEqual(new Set([1]));
    expect((await consumerInfo()).num_redelivered).toBe(0);
  });

  it('gives its held messages back when stopped mid-outage', async () => {
    const { probe } = dependency();
    await publish(nats.js, observed(3));
    const runner = runQuick(nats, comparator, {
      probe,
      handler: async () => {
        throw refused();
      },
    });
    await until('the runner to pause for the database', () => runner.waitingFor() === 'database');
    await runner.stop();
    expect(await pipelineCount()).toBe(1);
    const info = await consumerInfo();
    // Delivered once and given back with a delay, not burnt through its deliveries on the way out.
    expect(info.delivered.consumer_seq).toBe(1);
  });
});
