// Exits 0 when NATS_URL answers and has JetStream enabled; used by ensure-infra.sh.
import { connect } from '@nats-io/transport-node';

const url = process.env.NATS_URL ?? 'nats://127.0.0.1:4222';
try {
  const nc = await connect({ servers: url, timeout: 2000, reconnect: false });
  const jetstream = nc.info?.jetstream === true;
  await nc.close();
  if (!jetstream) {
    console.error(`NATS at ${url} has JetStream disabled; start it with -js`);
    process.exit(1);
  }
} catch {
  process.exit(1);
}
