import { readFileSync } from 'node:fs';
import { AckPolicy, DeliverPolicy } from '@nats-io/jetstream';
import {
  catalog,
  defineStreams,
  deploymentNames,
  exampleMessages,
  type Message,
  messageSubject,
  messageTypes,
  subjectFilter,
  subjectMatches,
  type WireNames,
} from '@pricebook/contracts';
import { describe, expect, it } from 'vitest';
import { provision, toStreamConfig } from './provision';
import { provisionDeployment } from './provision-deployment';
import { publish } from './publish';
import { natsForFile } from './test-support';

// The shipped nats-server here is 2.9, the oldest the product supports: it refuses a consumer
// filter that neither lies within one stream subject nor covers one.
const nats = natsForFile();

const docs = ['events.md', 'operations.md'].map((file) =>
  readFileSync(new URL(`../../../docs/${file}`, import.meta.url), 'utf8'),
);

const validFilter = /^pricebook\.events(\.([A-Za-z0-9_-]+|\*))*(\.>)?$/;

/**
 * Every event filter the docs recommend: a quoted `pricebook.events.` subject with a wildcard, its
 * placeholders filled with the examples' tenant and entity. Subject templates with alternatives
 * (`<created|updated>`) describe subjects, not filters, and are not valid filters.
 */
function recommendedFilters(): string[] {
  const quoted = docs.flatMap((doc) => [...doc.matchAll(/[`'"=](pricebook\.events\.[^\s`'",]+)/g)]);
  const filters = quoted
    .map((m) => (m[1] ?? '').replaceAll('<tenant>', '1001').replaceAll('<entity>', 'materials'))
    .filter((f) => validFilter.test(f) && /(^|\.)(\*|>)(\.|$)/.test(f));
  return [...new Set(filters)].sort();
}

const events: Message[] = messageTypes
  .filter((t) => catalog[t].stream === 'PRICEBOOK_EVENTS')
  .map((t) => exampleMessages[t]);

async function pending(stream: string, durable: string): Promise<number> {
  return (await nats.jsm.consumers.info(stream, durable)).num_pending;
}

/** Takes `count` messages from a durable (they are all pending), acking each. */
async function take(names: WireNames, durable: string, count: number): Promise<string[]> {
  const consumer = await nats.js.consumers.get(names.stream('PRICEBOOK_EVENTS'), durable);
  const subjects: string[] = [];
  while (subjects.length < count) {
    const batch = await consumer.fetch({ max_messages: count - subjects.length, expires: 5_000 });
    for await (const m of batch) {
      subjects.push(m.subject);
      m.ack();
    }
  }
  return subjects.sort();
}

describe('the consumer filters docs/events.md recommends', () => {
  const filters = recommendedFilters();

  it('are found in the docs, the two NATS 2.9 used to refuse included', () => {
    expect(filters).toContain('pricebook.events.1001.>');
    expect(filters).toContain('pricebook.events.1001.materials.*.v1');
  });

  it.each(['', 'acme'])(
    'each make a durable that receives the events it names (deployment "%s")',
    async (deployment) => {
      const names = deploymentNames(deployment);
      const integratorConsumers = filters.map((filterSubject, i) => ({ name: `docs-${i}`, filterSubject }));
      await provisionDeployment(nats.nc, { deployment, integratorConsumers });
      for (const event of events) await publish(nats.js, event, { deployment });

      for (const [i, filter] of filters.entries()) {
        const durable = names.durable(`docs-${i}`);
        const expected = events.filter((e) => subjectMatches(filter, messageSubject(e)));
        expect(expected.length, filter).toBeGreaterThan(0);
        expect(await pending(names.stream('PRICEBOOK_EVENTS'), durable), filter).toBe(expected.length);
        const wire = expected.map((e) => names.subject(messageSubject(e))).sort();
        expect(await take(names, durable, expected.length), filter).toEqual(wire);
      }
    },
  );
});

describe('an events stream provisioned by an earlier release', () => {
  it('takes the whole namespace on the next provisioning, keeping its events', async () => {
    const names = deploymentNames('earlier');
    const current = defineStreams().PRICEBOOK_EVENTS;
    // One subject per event type, as the streams were defined before.
    const perType = messageTypes
      .filter((t) => catalog[t].stream === 'PRICEBOOK_EVENTS')
      .map((t) => subjectFilter(t));
    await nats.jsm.streams.add(toStreamConfig({ ...current, subjects: perType }, names));
    await publish(nats.js, exampleMessages['record.updated'], { deployment: 'earlier' });

    const report = await provision(nats.jsm, { streams: [current], consumers: [], deployment: 'earlier' });

    expect(report.streams).toEqual([
      { name: 'EARLIER_PRICEBOOK_EVENTS', action: 'updated', changed: ['subjects'] },
    ]);
    const info = await nats.jsm.streams.info('EARLIER_PRICEBOOK_EVENTS');
    expect(info.config.subjects).toEqual(['earlier.pricebook.events.>']);
    expect(info.state.messages).toBe(1);
    await nats.jsm.consumers.add('EARLIER_PRICEBOOK_EVENTS', {
      durable_name: 'one-tenant',
      ack_policy: AckPolicy.Explicit,
      filter_subject: 'earlier.pricebook.events.1001.>',
    });
    expect(await pending('EARLIER_PRICEBOOK_EVENTS', 'one-tenant')).toBe(1);
  });
});

describe('the replay recipe of docs/events.md', () => {
  it('follows the events after a noted sequence, or from a time', async () => {
    const names = deploymentNames('replay');
    await provisionDeployment(nats.nc, { deployment: 'replay' });
    const stream = names.stream('PRICEBOOK_EVENTS');
    await publish(nats.js, exampleMessages['sync.started'], { deployment: 'replay' });
    // A first load notes the stream's last sequence before it reads the current state.
    const noted = (await nats.jsm.streams.info(stream)).state.last_seq;
    await publish(nats.js, exampleMessages['record.updated'], { deployment: 'replay' });
    await publish(nats.js, exampleMessages['sync.completed'], { deployment: 'replay' });

    await nats.jsm.consumers.add(stream, {
      durable_name: 'from-sequence',
      ack_policy: AckPolicy.Explicit,
      deliver_policy: DeliverPolicy.StartSequence,
      opt_start_seq: noted + 1,
    });
    expect(await take(names, 'from-sequence', 2)).toEqual(
      [exampleMessages['record.updated'], exampleMessages['sync.completed']]
        .map((m) => names.subject(messageSubject(m)))
        .sort(),
    );

    const last = await nats.jsm.streams.getMessage(stream, { seq: noted + 2 });
    if (!last) throw new Error('the last event is not in the stream');
    await nats.jsm.consumers.add(stream, {
      durable_name: 'from-time',
      ack_policy: AckPolicy.Explicit,
      deliver_policy: DeliverPolicy.StartTime,
      // The server's own nanosecond timestamp: a millisecond `Date` could reach back to the one before.
      opt_start_time: last.timestamp,
    });
    expect(await take(names, 'from-time', 1)).toEqual([
      names.subject(messageSubject(exampleMessages['sync.completed'])),
    ]);
  });
});
