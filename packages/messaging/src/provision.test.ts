import { consumers, defineStreams, type StreamDefinition, streams } from '@pricebook/contracts';
import { describe, expect, it } from 'vitest';
import { provision } from './provision';
import { natsForFile } from './test-support';

const nats = natsForFile();

describe('provision', () => {
  it('creates every stream and durable consumer from the contracts', async () => {
    const report = await provision(nats.jsm);
    expect(report.streams.map((s) => [s.name, s.action])).toEqual(
      Object.keys(streams).map((name) => [name, 'created']),
    );
    expect(report.consumers.every((c) => c.action === 'created')).toBe(true);
    expect(report.consumers).toHaveLength(Object.keys(consumers).length);

    const events = await nats.jsm.streams.info('PRICEBOOK_EVENTS');
    expect(events.config).toMatchObject({ retention: 'limits', storage: 'file', num_replicas: 1 });
    const pipeline = await nats.jsm.streams.info('PRICEBOOK_PIPELINE');
    expect(pipeline.config.retention).toBe('workqueue');
    expect([...pipeline.config.subjects].sort()).toEqual([...streams.PRICEBOOK_PIPELINE.subjects].sort());

    const applier = await nats.jsm.consumers.info('PRICEBOOK_PIPELINE', 'applier');
    expect(applier.config).toMatchObject({
      durable_name: 'applier',
      ack_policy: 'explicit',
      filter_subject: 'pricebook.pipe.*.*.decided.v1',
      max_deliver: consumers.applier.maxDeliver,
      max_ack_pending: consumers.applier.maxAckPending,
    });
  });

  it('is idempotent', async () => {
    const report = await provision(nats.jsm);
    expect(report.streams.every((s) => s.action === 'unchanged')).toBe(true);
    expect(report.consumers.every((c) => c.action === 'unchanged')).toBe(true);
  });

  it('applies changed stream and consumer settings, keeping the messages', async () => {
    await nats.js.publish('pricebook.events.1001.sync.started.v1', '{}');
    const changed: StreamDefinition[] = Object.values(
      defineStreams({ eventsMaxAgeDays: 30, eventsMaxBytes: 1 << 30 }),
    );
    const applier = { ...consumers.applier, ackWaitMs: 90_000, maxAckPending: 777 };
    const report = await provision(nats.jsm, { streams: changed, consumers: [applier] });

    expect(report.streams.find((s) => s.name === 'PRICEBOOK_EVENTS')).toMatchObject({
      action: 'updated',
      changed: ['maxAgeMs', 'maxBytes'],
    });
    expect(report.streams.filter((s) => s.action === 'updated')).toHaveLength(1);
    expect(report.consumers).toEqual([
      {
        stream: 'PRICEBOOK_PIPELINE',
        name: 'applier',
        action: 'updated',
        changed: ['ackWaitMs', 'maxAckPending'],
      },
    ]);

    const events = await nats.jsm.streams.info('PRICEBOOK_EVENTS');
    expect(events.config.max_age).toBe(30 * 24 * 3_600_000 * 1_000_000);
    expect(events.config.max_bytes).toBe(1 << 30);
    expect(events.state.messages).toBe(1);
    const info = await nats.jsm.consumers.info('PRICEBOOK_PIPELINE', 'applier');
    expect(info.config).toMatchObject({ ack_wait: 90_000_000_000, max_ack_pending: 777 });

    const again = await provision(nats.jsm, { streams: changed, consumers: [applier] });
    expect([...again.streams, ...again.consumers].every((x) => x.action === 'unchanged')).toBe(true);
  });

  it('recreates a deleted consumer', async () => {
    await nats.jsm.consumers.delete('PRICEBOOK_COMMANDS', 'fetcher');
    const report = await provision(nats.jsm);
    expect(report.consumers.find((c) => c.name === 'fetcher')?.action).toBe('created');
  });

  it('refuses to change a stream retention in place', async () => {
    const wrong = { ...streams.PRICEBOOK_INBOUND, retention: 'limits' as const };
    await expect(provision(nats.jsm, { streams: [wrong], consumers: [] })).rejects.toThrow(
      /cannot change in place/,
    );
  });
});
