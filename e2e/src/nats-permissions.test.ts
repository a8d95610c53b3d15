import { fileURLToPath } from 'node:url';
import { type JetStreamClient, jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { type ConsumerDefinition, consumers, createMessage, subjects } from '@pricebook/contracts';
import { inboxPrefixOf, type NatsService, type NatsUser } from '@pricebook/messaging';
import { openSchedulerState } from '@pricebook/schedule';
import { provisionNats, startTestNats } from '@pricebook/testing';
import { forFile, until } from '@pricebook/testing/vitest';
import { afterEach, describe, expect, it } from 'vitest';

// The shipped deploy/nats/nats-server.conf, run by a real nats-server: nobody gets in without a
// login, the integrator may only hand in edits and read the public events, and each service may
// do its own job and nothing else.

const configFile = fileURLToPath(new URL('../../deploy/nats/nats-server.conf', import.meta.url));
const tenant = '1001';
const denied = /Permissions Violation/;
const payload = (type: string) => JSON.stringify({ type, probe: true });

const nats = forFile(async () => {
  const server = await startTestNats({ configFile });
  // Provisioning logs in as admin and makes the integrator's durable; nobody else may.
  await provisionNats(server, { NATS_INTEGRATOR_CONSUMERS: 'crm' });
  return server;
});
const open: NatsConnection[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((nc) => nc.close()));
});

async function login(user: NatsUser): Promise<{ nc: NatsConnection; js: JetStreamClient }> {
  const credentials = nats.users[user];
  if (!credentials) throw new Error(`no user ${user} in ${configFile}`);
  const nc = await connect({
    servers: nats.url,
    user: credentials.user,
    pass: credentials.password,
    inboxPrefix: inboxPrefixOf(user),
    reconnect: false,
  });
  open.push(nc);
  return { nc, js: jetstream(nc) };
}

/** Pulls at most one message from a durable and settles it: proof of binding to it. */
async function pullOne(js: JetStreamClient, def: Pick<ConsumerDefinition, 'stream' | 'name'>) {
  const consumer = await js.consumers.get(def.stream, def.name);
  const message = await consumer.next({ expires: 1_000 });
  if (message) expect(await message.ackAck()).toBe(true);
  return message;
}

/** A core subscription the server refuses ends with the violation. */
async function subscriptionRefused(nc: NatsConnection, subject: string): Promise<unknown> {
  const sub = nc.subscribe(subject);
  return sub.closed;
}

describe('the shipped NATS config', () => {
  it('refuses anonymous clients and wrong passwords', async () => {
    await expect(connect({ servers: nats.url, reconnect: false })).rejects.toThrow(/Authorization Violation/);
    await expect(
      connect({ servers: nats.url, user: 'integrator', pass: 'not-the-password', reconnect: false }),
    ).rejects.toThrow(/Authorization Violation/);
  });

  it('lets the integrator publish an inbound edit and read public events through its provisioned durable', async () => {
    const edit = createMessage('inbound.upsert', {
      id: 'crm:edit:1',
      tenant,
      correlationId: 'crm:run-1',
      causationId: null,
      data: { entity: 'materials', stId: 48213, record: { cost: 19.1 }, actor: 'crm' },
    });
    const { js } = await login('integrator');
    const ack = await js.publish(subjects.inbound(tenant, 'materials', 'upsert'), JSON.stringify(edit), {
      msgID: edit.id,
    });
    expect(ack.stream).toBe('PRICEBOOK_INBOUND');

    // The applier announces a change; the integrator reads it from its own durable.
    const applier = await login('applier');
    const event = subjects.recordEvent(tenant, 'materials', 'updated');
    await applier.js.publish(event, payload('record.updated'));
    const received = await pullOne(js, { stream: 'PRICEBOOK_EVENTS', name: 'crm' });
    expect(received?.subject).toBe(event);
  });

  it('refuses the integrator commands, the pipeline, consumers of its own and raw subjects', async () => {
    const { nc, js } = await login('integrator');
    await expect(js.publish(subjects.command(tenant, 'push'), payload('push.command'))).rejects.toThrow(
      denied,
    );
    await expect(js.publish(subjects.command(tenant, 'sync'), payload('sync.command'))).rejects.toThrow(
      denied,
    );
    await expect(js.consumers.get('PRICEBOOK_PIPELINE', consumers.comparator.name)).rejects.toThrow(denied);
    await expect(js.consumers.get('PRICEBOOK_INBOUND', consumers.inbound.name)).rejects.toThrow(denied);
    const jsm = await jetstreamManager(nc);
    await expect(
      jsm.consumers.add('PRICEBOOK_EVENTS', { durable_name: 'mine', filter_subject: 'pricebook.events.>' }),
    ).rejects.toThrow(denied);
    await expect(
      jsm.consumers.add('PRICEBOOK_PIPELINE', { durable_name: 'peek', filter_subject: 'pricebook.pipe.>' }),
    ).rejects.toThrow(denied);
    expect(await subscriptionRefused(nc, 'pricebook.pipe.>')).toBeInstanceOf(Error);

    const admin = await jetstreamManager((await login('admin')).nc);
    expect((await admin.streams.info('PRICEBOOK_COMMANDS')).state.messages).toBe(0);
  });

  // What each service does for a living (its publishes and durables), and one thing it must not.
  const jobs: Record<NatsService, { publishes: string[]; binds: ConsumerDefinition[]; foreign: string }> = {
    api: {
      publishes: [subjects.command(tenant, 'sync'), subjects.command(tenant, 'resolve')],
      binds: [],
      foreign: subjects.inbound(tenant, 'materials', 'upsert'),
    },
    fetcher: {
      publishes: [subjects.pipeline(tenant, 'materials', 'observed'), subjects.fence(tenant)],
      binds: [consumers.fetcher],
      foreign: subjects.recordEvent(tenant, 'materials', 'updated'),
    },
    comparator: {
      publishes: [subjects.pipeline(tenant, 'materials', 'decided')],
      binds: [consumers.comparator],
      foreign: subjects.command(tenant, 'sync'),
    },
    applier: {
      publishes: [
        subjects.recordEvent(tenant, 'services', 'created'),
        subjects.syncEvent(tenant, 'completed'),
        subjects.command(tenant, 'push'),
        subjects.pipeline(tenant, 'materials', 'observed'),
      ],
      binds: [consumers.applier, consumers.fence, consumers.resolver, consumers.pusher, consumers.inbound],
      foreign: subjects.inbound(tenant, 'materials', 'delete'),
    },
    scheduler: {
      publishes: [subjects.command(tenant, 'scheduler'), subjects.command(tenant, 'sync')],
      binds: [consumers.scheduler],
      foreign: subjects.command(tenant, 'push'),
    },
    webhooks: {
      // It only reads the public events, through its own durable.
      publishes: [],
      binds: [consumers.webhooks],
      foreign: subjects.recordEvent(tenant, 'materials', 'updated'),
    },
    // It only reads: any publish to the engine's subjects is foreign to it.
    embedder: {
      publishes: [],
      binds: [consumers.embedCreated, consumers.embedUpdated],
      foreign: subjects.recordEvent(tenant, 'materials', 'updated'),
    },
  };

  it.each(Object.keys(jobs) as NatsService[])(
    'lets the %s user do its own job, and refuses it a foreign subject and consumers of its own',
    async (service) => {
      const job = jobs[service];
      const { nc, js } = await login(service);
      for (const subject of job.publishes) {
        expect((await js.publish(subject, payload(subject))).seq, subject).toBeGreaterThan(0);
      }
      for (const def of job.binds) await pullOne(js, def);

      await expect(js.publish(job.foreign, payload(job.foreign))).rejects.toThrow(denied);
      const someoneElses = service === 'comparator' ? consumers.applier : consumers.comparator;
      await expect(js.consumers.get(someoneElses.stream, someoneElses.name)).rejects.toThrow(denied);
      const jsm = await jetstreamManager(nc);
      const own = job.binds[0] ?? consumers.fetcher;
      await expect(
        jsm.consumers.add(own.stream, {
          durable_name: `${service}-extra`,
          filter_subject: own.filterSubject,
        }),
      ).rejects.toThrow(denied);
      await expect(jsm.streams.delete(own.stream)).rejects.toThrow(denied);
      expect(await subscriptionRefused(nc, '_INBOX.>')).toBeInstanceOf(Error);
    },
  );

  it.each(['api', 'scheduler'] as const)(
    'lets the %s user read, write and watch the scheduler switch',
    async (service) => {
      const { nc } = await login(service);
      const state = await openSchedulerState(nc, tenant);
      const seen: boolean[] = [];
      const watch = await state.watch((value) => seen.push(value.enabled));
      try {
        await state.setEnabled(false, `test:${service}`);
        await until('the watched switch', async () => seen.at(-1) === false, 10_000);
        expect((await state.read())?.updatedBy).toBe(`test:${service}`);
      } finally {
        watch.stop();
      }
    },
  );
});
