/**
 * One outbox relay in a process of its own, for the test that runs two at once (test support,
 * never imported by the package). Prints `ready` once polling, and on SIGTERM stops the relay and
 * prints every message id it published, one JSON line.
 */
import { type JetStreamClient, jetstream } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { createOrm } from '@pricebook/db';
import { createLogger } from '@pricebook/logger';
import { startRelay } from './relay';

const { DATABASE_URL, NATS_URL } = process.env;
if (DATABASE_URL === undefined || NATS_URL === undefined)
  throw new Error('DATABASE_URL and NATS_URL are needed');

const orm = await createOrm(DATABASE_URL, { poolMax: 2 });
const nc = await connect({ servers: NATS_URL, noAsyncTraces: true });
const js = jetstream(nc);
const published: string[] = [];
// Counts what this process hands to JetStream, which would hide a double publish by its msg id.
const counting = new Proxy(js, {
  get(target, property, receiver) {
    if (property !== 'publish') return Reflect.get(target, property, receiver);
    const publish: JetStreamClient['publish'] = (subject, payload, options) => {
      published.push(options?.msgID ?? '');
      return target.publish(subject, payload, options);
    };
    return publish;
  },
});
const relay = startRelay({
  orm,
  js: counting,
  log: createLogger({ service: 'relay-process', level: 'silent' }),
  batchSize: 25,
  idleMs: 10,
});
process.stdout.write('ready\n');
process.once('SIGTERM', async () => {
  await relay.stop();
  await nc.close();
  await orm.close();
  process.stdout.write(`${JSON.stringify(published)}\n`);
});
