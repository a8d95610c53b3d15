import { jetstream } from '@nats-io/jetstream';
import type { RetryPolicy } from '@pricebook/contracts';
import { AppError } from '@pricebook/errors';
import { beforeEach, describe, expect, it } from 'vitest';
import type { BatchHandler } from './batch';
import type { Delivery, PoisonRecord } from './decode';
import { publish, publishAll } from './publish';
import {
  captureLog,
  client,
  freshStreams,
  gate,
  natsForFile,
  observed,
  quickComparator,
  runQuick,
  until,
} from './test-support';

const nats = natsForFile();

const comparator = quickComparator();
const quickRetry: RetryPolicy = { maxDeliveries: 3, backoffMs: [50] };

beforeEach(() => freshStreams(nats, [comparator]));

const pipelineCount = async () => (await nats.jsm.streams.info('PRICEBOOK_PIPELINE')).state.messages;
const consumerInfo = () => nats.jsm.consumers.info('PRICEBOOK_PIPELINE', comparator.name);
const stIds = (batch: ReadonlyArray<Delivery<'record.observed'>>) => batch.map((d) => d.message.data.stId);

describe('runConsumer', () => {
  it('hands over typed batches and acks them only after the handler resolves', async () => {
    await publishAll(
      nats.js,
      [1, 2, 3, 4, 5].map((i) => observed(i)),
    );
    const release = gate();
    const batches: number[][] = [];
    const runner = runQuick(nats, comparator, {
      lingerMs: 200,
      batchSize: 10,
      handler: async (batch) => {
        batches.push(stIds(batch));
        await release.wait;
        return undefined;
      },
    });
    await until('the handler to start', () => batches.length === 1);
    const during = await consumerInfo();
    expect(during.num_ack_pending).toBe(5);
    expect(await pipelineCount()).toBe(5);

    release.open();
    await until('the batch to be acked', async () => (await pipelineCount()) === 0);
    await runner.stop();
    expect(batches.flat()).toEqual([1, 2, 3, 4, 5]);
    expect((await consumerInfo()).num_ack_pending).toBe(0);
  });

  it('has every message of a batch acked once the batch is settled (one confirmation for them all)', async () => {
    const ids = Array.from({ length: 40 }, (_, i) => 100 + i);
    await publishAll(
      nats.js,
      ids.map((i) => observed(i)),
    );
    const release = gate();
    const settled: Array<{ acked: number; pending: number; stored: number }> = [];
    const runner = runQuick(nats, comparator, {
      lingerMs: 200,
      batchSize: 40,
      handler: async () => {
        await release.wait;
        return undefined;
      },
      metrics: {
        settled: (_consumer, outcome, count) => {
          if (outcome !== 'ack') return;
          // Read what the server holds right after the runner's settle resolved, before anything else.
          void Promise.all([consumerInfo(), pipelineCount()]).then(([info, stored]) =>
            settled.push({ acked: count, pending: info.num_ack_pending, stored }),
          );
        },
      },
    });
    await until('the whole batch to be in hand', async () => (await consumerInfo()).num_ack_pending === 40);
    release.open();
    await until('the batch to be settled', () => settled.length === 1);
    await runner.stop();
    expect(settled).toEqual([{ acked: 40, pending: 0, stored: 0 }]);
  });

  it('leaves the batch of a runner killed inside its handler to the next runner', async () => {
    await publishAll(
      nats.js,
      [1, 2, 3].map((i) => observed(i)),
    );
    const doomed = await client(nats.server.url);
    const hang = gate();
    const first: number[] = [];
    const a = runQuick(nats, comparator, {
      js: jetstream(doomed),
      handler: async (batch) => {
        first.push(...stIds(batch));
        await doomed.close(); // the process dies before its transaction commits
        await hang.wait;
        throw new AppError('unavailable', 'this process is gone');
      },
    });
    await until('the first runner to take the batch', () => first.length === 3);

    const second: Array<[number, number]> = [];
    const b = runQuick(nats, comparator, {
      handler: async (batch) => {
        second.push(...batch.map((d): [number, number] => [d.message.data.stId, d.deliveryCount]));
        return undefined;
      },
    });
    await until('the second runner to get all of them', () => second.length === 3);
    await until('the acks to land', async () => (await pipelineCount()) === 0);
    expect(second.sort()).toEqual([
      [1, 2],
      [2, 2],
      [3, 2],
    ]);
    hang.open();
    await a.stopped;
    await b.stop();
  });

  it('retries a bug later, counting each try, and then handles it', async () => {
    await publish(nats.js, observed(7));
    const attempts: number[] = [];
    // An outage (`unavailable`) used to be one of these; it no longer spends a delivery (below).
    const errors = [new TypeError('a bug that may pass'), new TypeError('a bug that may pass')];
    const runner = runQuick(nats, comparator, {
      retryPolicy: () => ({ maxDeliveries: 5, backoffMs: [100] }),
      handler: async (batch) => {
        attempts.push(...batch.map((d) => d.deliveryCount));
        const error = errors.shift();
        if (error) throw error;
        return undefined;
      },
    });
    await until(
      'the third delivery to succeed',
      async () => attempts.length === 3 && (await pipelineCount()) === 0,
    );
    await runner.stop();
    expect(attempts).toEqual([1, 2, 3]);
  });

  it('terminates and records poison, and handles the rest of the batch', async () => {
    await nats.js.publish('pricebook.pipe.1001.materials.observed.v1', 'not json{');
    const invalid = observed(2);
    await nats.js.publish(
      'pricebook.pipe.1001.materials.observed.v1',
      JSON.stringify({ ...invalid, data: { ...invalid.data, stId: 'two' } }),
    );
    const wrongType = { ...observed(3), type: 'record.decided' };
    await nats.js.publish('pricebook.pipe.1001.materials.observed.v1', JSON.stringify(wrongType));
    await publishAll(
      nats.js,
      [4, 5, 6].map((i) => observed(i)),
    );

    const poison: PoisonRecord[] = [];
    const handled: number[] = [];
    const { log, lines } = captureLog();
    const runner = runQuick(nats, comparator, {
      log,
      batchSize: 10,
      onPoison: (p) => {
        poison.push(p);
      },
      handler: async (batch) => {
        handled.push(...stIds(batch));
        const five = batch.find((d) => d.message.data.stId === 5);
        return new Map(five ? [[five, new AppError('validation_failed', 'price below cost')]] : []);
      },
    });
    await until('all six to settle', async () => handled.length === 3 && (await pipelineCount()) === 0);
    await runner.stop();

    expect(handled.sort()).toEqual([4, 5, 6]);
    expect(poison.map((p) => [p.streamSeq, p.reason])).toEqual([
      [1, 'bad_json'],
      [2, 'invalid_payload'],
      [3, 'subject_mismatch'],
      [5, 'rejected'],
    ]);
    expect(poison[0]).toMatchObject({
      stream: 'PRICEBOOK_PIPELINE',
      consumer: comparator.name,
      subject: 'pricebook.pipe.1001.materials.observed.v1',
      deliveryCount: 1,
      payload: 'not json{',
    });
    expect(poison[1]?.detail).toMatch(/stId/);
    expect(poison[1]).toMatchObject({ messageId: invalid.id, correlationId: invalid.correlationId });
    expect(poison[3]?.detail).toBe('validation_failed: price below cost');

    const terminated = lines.filter((l) => l.msg === 'message terminated');
    expect(terminated).toHaveLength(4);
    expect(terminated[3]).toMatchObject({
      subject: 'pricebook.pipe.1001.materials.observed.v1',
      streamSeq: 5,
      deliveryCount: 1,
      eventId: observed(5).id,
      syncId: observed(5).correlationId,
      reason: 'rejected',
    });
  });

  it('finds the one bad message when a handler rejects the whole batch', async () => {
    await publishAll(
      nats.js,
      [1, 2, 3, 4].map((i) => observed(i)),
    );
    const poison: PoisonRecord[] = [];
    const ok: number[] = [];
    const handler: BatchHandler<'record.observed'> = async (batch) => {
      if (batch.some((d) => d.message.data.stId === 3)) throw new AppError('validation_failed', 'bad row');
      ok.push(...stIds(batch));
      return undefined;
    };
    const runner = runQuick(nats, comparator, {
      batchSize: 10,
      onPoison: (p) => {
        poison.push(p);
      },
      handler,
    });
    await until('the batch to settle', async () => poison.length === 1 && (await pipelineCount()) === 0);
    await runner.stop();
    expect(ok.sort()).toEqual([1, 2, 4]);
    expect(poison[0]).toMatchObject({ streamSeq: 3, reason: 'rejected' });
  });

  it('terminates and records a message that fails on every delivery allowed', async () => {
    await publishAll(nats.js, [observed(1), observed(2)]);
    const poison: PoisonRecord[] = [];
    const attempts: number[] = [];
    const runner = runQuick(nats, comparator, {
      retryPolicy: () => quickRetry,
      onPoison: (p) => {
        poison.push(p);
      },
      handler: async (batch) => {
        const failing = batch.filter((d) => d.message.data.stId === 1);
        attempts.push(...failing.map((d) => d.deliveryCount));
        return new Map(failing.map((d) => [d, new AppError('internal', 'a bug')]));
      },
    });
    await until(
      'the message to be given up',
      async () => poison.length === 1 && (await pipelineCount()) === 0,
    );
    await runner.stop();
    expect(attempts).toEqual([1, 2, 3]);
    expect(poison[0]).toMatchObject({ streamSeq: 1, deliveryCount: 3, reason: 'max_deliveries' });
    expect(poison[0]?.detail).toMatch(/internal: a bug/);
  });

  it('terminates without handling a message redelivered past its limit', async () => {
    await publish(nats.js, observed(9));
    const doomed = await client(nats.server.url);
    const hang = gate();
    let taken = 0;
    const a = runQuick(nats, comparator, {
      js: jetstream(doomed),
      retryPolicy: () => ({ maxDeliveries: 1, backoffMs: [50] }),
      handler: async () => {
        taken += 1;
        await doomed.close();
        await hang.wait;
        throw new AppError('unavailable', 'this process is gone');
      },
    });
    await until('the doomed runner to take it', () => taken === 1);
    const poison: PoisonRecord[] = [];
    let handled = 0;
    const b = runQuick(nats, comparator, {
      retryPolicy: () => ({ maxDeliveries: 1, backoffMs: [50] }),
      onPoison: (p) => {
        poison.push(p);
      },
      handler: async () => {
        handled += 1;
        return undefined;
      },
    });
    await until(
      'the redelivery to be terminated',
      async () => poison.length === 1 && (await pipelineCount()) === 0,
    );
    expect(handled).toBe(0);
    expect(poison[0]).toMatchObject({ reason: 'max_deliveries', deliveryCount: 2 });
    hang.open();
    await a.stopped;
    await b.stop();
  });

  it('retries a poison message later when recording it fails', async () => {
    await nats.js.publish('pricebook.pipe.1001.materials.observed.v1', 'garbage');
    const tries: number[] = [];
    const runner = runQuick(nats, comparator, {
      onPoison: (p) => {
        tries.push(p.deliveryCount);
        if (tries.length === 1) throw new Error('dead-letter table unavailable');
      },
      handler: async () => undefined,
    });
    await until('the record to succeed', async () => tries.length === 2 && (await pipelineCount()) === 0);
    await runner.stop();
    expect(tries).toEqual([1, 2]);
  });

  it('drains on stop: finishes and acks the batch in hand, then pulls no more', async () => {
    await publishAll(
      nats.js,
      [1, 2, 3].map((i) => observed(i)),
    );
    const release = gate();
    let started = false;
    const seen: Array<[number, boolean]> = [];
    const runner = runQuick(nats, comparator, {
      handler: async (batch, { stopping }) => {
        started = true;
        await release.wait;
        seen.push([batch.length, stopping.aborted]);
        return undefined;
      },
    });
    await until('the handler to start', () => started);
    let resolved = false;
    const stopping = runner.stop().then(() => {
      resolved = true;
    });
    for (let i = 0; i < 20; i++) await new Promise((r) => setImmediate(r));
    expect(resolved).toBe(false);

    release.open();
    await stopping;
    expect(seen).toEqual([[3, true]]);
    expect(await pipelineCount()).toBe(0);
    const info = await consumerInfo();
    expect(info.num_ack_pending).toBe(0);
    expect(info.num_waiting).toBe(0);

    await publish(nats.js, observed(4));
    expect((await consumerInfo()).num_pending).toBe(1);
  });

  it('pulls nothing while beforePull holds it, and stops while it waits there', async () => {
    await publishAll(
      nats.js,
      [1, 2, 3].map((i) => observed(i)),
    );
    let release = gate();
    let waits = 0;
    const handled: number[] = [];
    const runner = runQuick(nats, comparator, {
      beforePull: async (signal) => {
        waits += 1;
        signal.addEventListener('abort', () => release.open(), { once: true });
        await release.wait;
      },
      handler: async (batch) => {
        handled.push(...stIds(batch));
        return undefined;
      },
    });
    await until('the runner to wait before its first pull', () => waits === 1);
    // No pull was asked for: the server still holds all three, none handed out.
    const held = await consumerInfo();
    expect(held.num_pending).toBe(3);
    expect(held.num_ack_pending).toBe(0);
    expect(held.num_waiting).toBe(0);
    expect(handled).toEqual([]);

    const first = release;
    release = gate();
    first.open();
    await until('the messages to be handled', async () => (await pipelineCount()) === 0);
    expect(handled).toEqual([1, 2, 3]);
    await until('the runner to wait again', () => waits >= 2);
    await runner.stop();
  });

  it('stops when its signal is aborted', async () => {
    const controller = new AbortController();
    const runner = runQuick(nats, comparator, {
      signal: controller.signal,
      handler: async () => undefined,
    });
    controller.abort();
    await runner.stopped;
  });

  it('recreates its consumer when it is deleted under it', async () => {
    const handled: number[] = [];
    const { log, lines } = captureLog();
    const runner = runQuick(nats, comparator, {
      log,
      handler: async (batch) => {
        handled.push(...stIds(batch));
        return undefined;
      },
    });
    await publish(nats.js, observed(1));
    await until('the first message', () => handled.length === 1);
    await nats.jsm.consumers.delete('PRICEBOOK_PIPELINE', comparator.name);
    await until('the runner to notice', () =>
      lines.some((l) => l.msg === 'consumer missing; recreating it from its definition'),
    );
    await publish(nats.js, observed(2));
    await until('the message after the deletion', () => handled.length === 2);
    await runner.stop();
    expect(handled).toEqual([1, 2]);
  });
});
