import { consumers, exampleMessages } from '@pricebook/contracts';
import { describe, expect, it } from 'vitest';
import type { Delivery } from './decode';
import { provisionDeployment } from './provision-deployment';
import { publish } from './publish';
import { natsForFile, runQuick, until } from './test-support';

// Two named deployments and the unnamed one, in one account of one server.
const nats = natsForFile();

async function pending(stream: string, durable: string): Promise<number> {
  const info = await nats.jsm.consumers.info(stream, durable);
  return info.num_pending + info.num_ack_pending;
}

async function messagesIn(stream: string): Promise<number> {
  return (await nats.jsm.streams.info(stream)).state.messages;
}

describe('deployments sharing one NATS account', () => {
  it('provisions each deployment under its own names, side by side', async () => {
    const unnamed = await provisionDeployment(nats.nc);
    const alpha = await provisionDeployment(nats.nc, { deployment: 'alpha' });
    const beta = await provisionDeployment(nats.nc, {
      deployment: 'beta',
      integratorConsumers: [{ name: 'crm' }],
    });

    expect(unnamed.streams.map((s) => s.name)).toContain('PRICEBOOK_EVENTS');
    expect(alpha.streams.map((s) => [s.name, s.action])).toEqual([
      ['ALPHA_PRICEBOOK_COMMANDS', 'created'],
      ['ALPHA_PRICEBOOK_PIPELINE', 'created'],
      ['ALPHA_PRICEBOOK_EVENTS', 'created'],
      ['ALPHA_PRICEBOOK_INBOUND', 'created'],
    ]);
    expect(alpha.consumers).toContainEqual({
      stream: 'ALPHA_PRICEBOOK_COMMANDS',
      name: 'alpha-fetcher',
      action: 'created',
      changed: [],
    });
    expect(beta.consumers).toContainEqual({
      stream: 'BETA_PRICEBOOK_EVENTS',
      name: 'beta-crm',
      action: 'created',
      changed: [],
    });
    const fetcher = await nats.jsm.consumers.info('BETA_PRICEBOOK_COMMANDS', 'beta-fetcher');
    expect(fetcher.config.filter_subject).toBe('beta.pricebook.cmd.*.sync.v1');
    const events = await nats.jsm.streams.info('ALPHA_PRICEBOOK_EVENTS');
    // The whole events namespace, under the deployment's own first token.
    expect(events.config.subjects).toEqual(['alpha.pricebook.events.>']);
    // The scheduler's switch: one bucket each.
    await expect(nats.jsm.streams.info('KV_alpha_pricebook_scheduler')).resolves.toBeDefined();
    await expect(nats.jsm.streams.info('KV_beta_pricebook_scheduler')).resolves.toBeDefined();
  });

  it('is a no-op when run again', async () => {
    const again = await provisionDeployment(nats.nc, { deployment: 'alpha' });
    expect([...again.streams, ...again.consumers].every((r) => r.action === 'unchanged')).toBe(true);
  });

  it("lands a deployment's events in its own stream only", async () => {
    await publish(nats.js, exampleMessages['record.updated'], { deployment: 'alpha' });
    expect(await messagesIn('ALPHA_PRICEBOOK_EVENTS')).toBe(1);
    expect(await messagesIn('BETA_PRICEBOOK_EVENTS')).toBe(0);
    expect(await messagesIn('PRICEBOOK_EVENTS')).toBe(0);
    expect(await pending('BETA_PRICEBOOK_EVENTS', 'beta-crm')).toBe(0);
  });

  it("hands a deployment's command to its own durable only, under the contracts' subject", async () => {
    const command = exampleMessages['sync.command'];
    await publish(nats.js, command, { deployment: 'alpha' });
    expect(await pending('ALPHA_PRICEBOOK_COMMANDS', 'alpha-fetcher')).toBe(1);
    expect(await pending('BETA_PRICEBOOK_COMMANDS', 'beta-fetcher')).toBe(0);
    expect(await pending('PRICEBOOK_COMMANDS', 'fetcher')).toBe(0);

    const received: Delivery[] = [];
    const runner = runQuick(nats, consumers.fetcher, {
      deployment: 'alpha',
      handler: async (batch) => {
        received.push(...batch);
      },
    });
    await until('the command', () => received.length === 1);
    await runner.stop();
    expect(received[0]?.message.id).toBe(command.id);
    expect(received[0]?.subject).toBe('pricebook.cmd.1001.sync.v1');
    // Acked on a work queue: gone from alpha's stream, never seen by beta's durable.
    await until('the ack', async () => (await messagesIn('ALPHA_PRICEBOOK_COMMANDS')) === 0);
    const beta = await nats.jsm.consumers.info('BETA_PRICEBOOK_COMMANDS', 'beta-fetcher');
    expect(beta.delivered.stream_seq).toBe(0);
  });
});

describe('stream settings from the configuration', () => {
  it('updates a changed setting at the next provisioning and keeps what it does not name', async () => {
    // An operator's own setting, which the configuration does not name.
    await nats.jsm.streams.update('ALPHA_PRICEBOOK_EVENTS', { max_msgs: 100_000 });

    const changed = await provisionDeployment(nats.nc, {
      deployment: 'alpha',
      streamOptions: { eventsMaxAgeDays: 30 },
    });
    expect(changed.streams.find((s) => s.name === 'ALPHA_PRICEBOOK_EVENTS')).toMatchObject({
      action: 'updated',
      changed: ['maxAgeMs'],
    });
    const events = await nats.jsm.streams.info('ALPHA_PRICEBOOK_EVENTS');
    expect(events.config.max_age).toBe(30 * 24 * 3600 * 1e9);
    expect(events.config.max_msgs).toBe(100_000);
    expect(events.state.messages).toBe(1);

    const again = await provisionDeployment(nats.nc, {
      deployment: 'alpha',
      streamOptions: { eventsMaxAgeDays: 30 },
    });
    expect(again.streams.every((s) => s.action === 'unchanged')).toBe(true);
    // The other deployment keeps its own settings.
    const beta = await nats.jsm.streams.info('BETA_PRICEBOOK_EVENTS');
    expect(beta.config.max_age).toBe(14 * 24 * 3600 * 1e9);
  });

  it('refuses three replicas on a single server, naming the setting, at every run', async () => {
    for (let run = 1; run <= 2; run += 1) {
      await expect(
        provisionDeployment(nats.nc, { deployment: 'alpha', streamOptions: { replicas: 3 } }),
      ).rejects.toThrow(/ALPHA_PRICEBOOK_COMMANDS: the server refused 3 replicas \(NATS_STREAM_REPLICAS=3\)/);
    }
    await expect(
      provisionDeployment(nats.nc, { deployment: 'gamma', streamOptions: { replicas: 3 } }),
    ).rejects.toThrow(/NATS_STREAM_REPLICAS=3/);
    const commands = await nats.jsm.streams.info('ALPHA_PRICEBOOK_COMMANDS');
    expect(commands.config.num_replicas).toBe(1);
  });
});
