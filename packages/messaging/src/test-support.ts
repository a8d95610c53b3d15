import { Writable } from 'node:stream';
import { type JetStreamClient, type JetStreamManager, jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import {
  type ConsumerDefinition,
  consumers,
  createMessage,
  type Message,
  messageIds,
  streams,
} from '@pricebook/contracts';
import { createLogger, type Logger } from '@pricebook/logger';
import { startTestNats, type TestNats } from '@pricebook/testing';
import { forFile } from '@pricebook/testing/vitest';
import { type ConsumerRunner, type RunConsumerOptions, runConsumer } from './consumer-runner';
import { provision } from './provision';

export const tenant = '1001';
export const syncLogId = '6f1c2b7e-8a43-4c2d-9a57-3f0e1d2c4b5a';

export interface Nats {
  server: TestNats;
  nc: NatsConnection;
  js: JetStreamClient;
  jsm: JetStreamManager;
}

/** A private JetStream server and one connection to it. */
export async function startNats(): Promise<Nats> {
  const server = await startTestNats();
  const nc = await client(server.url);
  return { server, nc, js: jetstream(nc), jsm: await jetstreamManager(nc) };
}

/**
 * A private JetStream server and a connection for the whole file: started before its first test
 * (then `prepare` runs), closed after its last. Its fields can be read from any test or hook.
 */
export function natsForFile(prepare?: (nats: Nats) => Promise<void>): Nats {
  return forFile(async () => {
    const nats = await startNats();
    await prepare?.(nats);
    return {
      ...nats,
      async close() {
        await nats.nc.close();
        await nats.server.close();
      },
    };
  });
}

/** The comparator's durable under another name, with a 2 s ack wait so redeliveries come quickly. */
export function quickComparator(name = 'test-comparator') {
  // No declared return type: the runner infers the message types from the comparator's own.
  return { ...consumers.comparator, name, ackWaitMs: 2_000 } satisfies ConsumerDefinition;
}

/**
 * Runs `consumer` as the runner tests do: on the file's JetStream, each pull held at most a second
 * (so `stop()` is quick), logging where nobody reads; `options` gives the handler and whatever the
 * test needs (another `js` or a log it reads included).
 */
export function runQuick<C extends ConsumerDefinition>(
  nats: Nats,
  consumer: C,
  options: Omit<RunConsumerOptions<C>, 'js' | 'consumer' | 'log'> &
    Partial<Pick<RunConsumerOptions<C>, 'js' | 'log'>>,
): ConsumerRunner {
  return runConsumer({ js: nats.js, consumer, maxWaitMs: 1_000, log: captureLog().log, ...options });
}

/** Every stream deleted and provisioned again, with only `durables`: each test starts empty. */
export async function freshStreams(nats: Nats, durables: ConsumerDefinition[]): Promise<void> {
  for (const name of Object.keys(streams)) await nats.jsm.streams.delete(name).catch(() => false);
  await provision(nats.jsm, { streams: Object.values(streams), consumers: durables });
}

/** Another connection, as another process would have. */
export function client(url: string): Promise<NatsConnection> {
  return connect({ servers: url, maxReconnectAttempts: -1, reconnectTimeWait: 250, name: 'test' });
}

/** A logger whose JSON lines the test can read (LOG_LEVEL=debug prints nothing extra). */
export function captureLog(): { log: Logger; lines: Array<Record<string, unknown>> } {
  const lines: Array<Record<string, unknown>> = [];
  const destination = new Writable({
    write(chunk, _enc, done) {
      for (const line of String(chunk).split('\n')) if (line) lines.push(JSON.parse(line));
      done();
    },
  });
  return { log: createLogger({ service: 'test', level: 'debug', destination }), lines };
}

export { until } from '@pricebook/testing/vitest';

/** A valid `record.observed` message for ST id `stId`. */
export function observed(stId: number, overrides: { hash?: string } = {}): Message<'record.observed'> {
  const modifiedOn = '2025-12-05T18:22:10.1234567Z';
  return createMessage('record.observed', {
    id: messageIds.observed({ syncLogId, entity: 'materials', stId, modifiedOn }),
    tenant,
    correlationId: syncLogId,
    causationId: messageIds.syncCommand(syncLogId),
    data: {
      syncLogId,
      entity: 'materials',
      stId,
      modifiedOn,
      record: { id: stId, code: `M-${stId}`, price: 10 },
      hash: overrides.hash ?? 'aa11bb22cc33dd44',
    },
  });
}

/** A gate a handler can wait on. */
export function gate(): { wait: Promise<void>; open(): void } {
  let open = () => {};
  const wait = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { wait, open };
}
