import { jetstreamManager } from '@nats-io/jetstream';
import { Kvm } from '@nats-io/kv';
import type { NatsConnection } from '@nats-io/transport-node';
import {
  catalog,
  defineStreams,
  deploymentNames,
  messageTypes,
  type StreamOptions,
  schedulerState,
} from '@pricebook/contracts';
import type { Logger } from '@pricebook/logger';
import { type DurableDefinition, type ProvisionReport, provision } from './provision';

/**
 * A durable on `PRICEBOOK_EVENTS` that an integrator binds to (it may not create its own). Its
 * name and filter are given as the contracts spell them; a named deployment's provisioning
 * prefixes both (`crm` → `acme-crm` on `ACME_PRICEBOOK_EVENTS`, filter `acme.pricebook.events.>`).
 */
export interface IntegratorConsumer {
  name: string;
  /** A subset of `pricebook.events.>`; defaults to every event. */
  filterSubject?: string;
}

const eventsMaxDeliveries = Math.max(
  ...messageTypes
    .filter((t) => catalog[t].stream === 'PRICEBOOK_EVENTS')
    .map((t) => catalog[t].retry.maxDeliveries),
);

/**
 * The durable definition of an integrator's consumer. Its name must be a single subject token
 * (no `.`, `*`, `>` or spaces), its filter within the events stream.
 *
 * @example
 * integratorDurable({ name: 'crm', filterSubject: 'pricebook.events.*.materials.>' });
 */
export function integratorDurable(consumer: IntegratorConsumer): DurableDefinition {
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(consumer.name)) {
    throw new Error(`integrator consumer name "${consumer.name}": letters, digits, - and _ only`);
  }
  const filterSubject = consumer.filterSubject ?? 'pricebook.events.>';
  if (!/^pricebook\.events(\.[^.\s]+)+$/.test(filterSubject)) {
    throw new Error(`integrator consumer ${consumer.name}: the filter must lie within pricebook.events.>`);
  }
  return {
    stream: 'PRICEBOOK_EVENTS',
    name: consumer.name,
    description: `Integrator ${consumer.name}: public events`,
    filterSubject,
    ackWaitMs: 60_000,
    maxDeliver: eventsMaxDeliveries + 1,
    maxAckPending: 1_000,
  };
}

/**
 * Parses `name[=filter]` entries separated by commas (the provisioning command's
 * `NATS_INTEGRATOR_CONSUMERS`).
 *
 * @example
 * parseIntegratorConsumers('crm=pricebook.events.*.materials.>,warehouse');
 */
export function parseIntegratorConsumers(value: string | undefined): IntegratorConsumer[] {
  return (value ?? '')
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '')
    .map((entry) => {
      const at = entry.indexOf('=');
      return at < 0 ? { name: entry } : { name: entry.slice(0, at), filterSubject: entry.slice(at + 1) };
    });
}

export interface ProvisionDeploymentOptions {
  log?: Logger;
  /** Durables to create on `PRICEBOOK_EVENTS` for integrators. */
  integratorConsumers?: readonly IntegratorConsumer[];
  /** Replicas, max ages and limits of the streams (the environment's, `streamOptionsOf`). */
  streamOptions?: StreamOptions;
  /** The deployment whose names to provision; defaults to the process's (`useDeployment`). */
  deployment?: string;
}

/**
 * Everything a deployment needs in JetStream, made with a user that may manage it: the engine's
 * streams and durables, the scheduler's KV bucket, and the integrators' durables. Services and
 * integrators only bind to these; their own users cannot create them.
 *
 * @example
 * const nc = await connectNats({ url, name: 'provision', log, auth: natsAuthOf(env) });
 * await provisionDeployment(nc, { log, integratorConsumers: [{ name: 'crm' }] });
 */
export async function provisionDeployment(
  nc: NatsConnection,
  options: ProvisionDeploymentOptions = {},
): Promise<ProvisionReport> {
  const jsm = await jetstreamManager(nc);
  const names = deploymentNames(options.deployment);
  const streams = Object.values(defineStreams(options.streamOptions));
  const report = await provision(jsm, { streams, log: options.log, deployment: names.deployment });
  await new Kvm(nc).create(names.bucket(schedulerState.bucket), { history: 10 });
  const integrators = (options.integratorConsumers ?? []).map(integratorDurable);
  if (integrators.length > 0) {
    const extra = await provision(jsm, {
      streams: [],
      consumers: integrators,
      log: options.log,
      deployment: names.deployment,
    });
    report.consumers.push(...extra.consumers);
  }
  return report;
}
