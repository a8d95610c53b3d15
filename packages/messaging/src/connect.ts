import { readFileSync } from 'node:fs';
import {
  type Authenticator,
  connect,
  credsAuthenticator,
  type NatsConnection,
  type NodeConnectionOptions,
  nkeyAuthenticator,
  tokenAuthenticator,
  usernamePasswordAuthenticator,
} from '@nats-io/transport-node';
import type { NatsAuth } from '@pricebook/config';
import type { Logger } from '@pricebook/logger';

export interface ConnectNatsOptions {
  /** One URL or a comma-separated list (`nats://a:4222,nats://b:4222`). */
  url: string;
  /** The connection name the server shows (`fetcher`, `applier-2`…). */
  name: string;
  log: Logger;
  /** Keep retrying the first connect instead of failing fast (for orchestrators that start NATS late). */
  waitOnFirstConnect?: boolean;
  /** How to log in (`natsAuthOf(env)`); none for a local server without users. */
  auth?: NatsAuth;
  /**
   * Where replies arrive (`inboxPrefixOf('api')`): a user of the shipped config may subscribe only
   * to its own prefix. Defaults to nats.js's `_INBOX`, fine on a server without permissions.
   */
  inboxPrefix?: string;
  /** Anything else nats.js accepts (credentials, TLS…), applied last. */
  options?: Partial<NodeConnectionOptions>;
}

/**
 * Connects to NATS with settings for long-lived services: reconnect forever with jitter,
 * pings to notice a dead server, and every status change logged.
 *
 * @example
 * const nc = await connectNats({ url: env.NATS_URL, name: 'applier', log });
 * const js = jetstream(nc);
 */
export async function connectNats(options: ConnectNatsOptions): Promise<NatsConnection> {
  const log = options.log.child({ component: 'nats', connection: options.name });
  const servers = options.url.split(',').map((s) => s.trim());
  const nc = await connect({
    servers,
    name: options.name,
    reconnect: true,
    maxReconnectAttempts: -1,
    reconnectTimeWait: 1_000,
    reconnectJitter: 500,
    pingInterval: 20_000,
    maxPingOut: 3,
    timeout: 5_000,
    waitOnFirstConnect: options.waitOnFirstConnect ?? false,
    // Otherwise every request (each JetStream publish, each ackAck) builds an Error up front to
    // carry the caller's stack, should it time out: a tenth of a pipeline service's CPU per record.
    noAsyncTraces: true,
    ...(options.auth ? { authenticator: authenticatorOf(options.auth) } : {}),
    ...(options.inboxPrefix ? { inboxPrefix: options.inboxPrefix } : {}),
    ...options.options,
  });
  // Which way, never the secret itself.
  log.info(
    { server: nc.getServer(), version: nc.info?.version, auth: options.auth?.kind ?? 'none' },
    'nats connected',
  );
  void watchStatus(nc, log);
  return nc;
}

const encoder = new TextEncoder();

/** A creds file is read again at every (re)connect, so a rotated one is picked up. */
function authenticatorOf(auth: NatsAuth): Authenticator {
  switch (auth.kind) {
    case 'user':
      return usernamePasswordAuthenticator(auth.user, auth.password);
    case 'token':
      return tokenAuthenticator(auth.token);
    case 'nkey':
      return nkeyAuthenticator(encoder.encode(auth.seed));
    case 'creds':
      return credsAuthenticator(() => readFileSync(auth.file));
  }
}

async function watchStatus(nc: NatsConnection, log: Logger): Promise<void> {
  for await (const s of nc.status()) {
    switch (s.type) {
      case 'disconnect':
        log.warn({ server: s.server }, 'nats disconnected');
        break;
      case 'reconnecting':
        log.debug('nats reconnecting');
        break;
      case 'reconnect':
        log.info({ server: s.server }, 'nats reconnected');
        break;
      case 'ldm':
        log.warn({ server: s.server }, 'nats server entering lame duck mode');
        break;
      case 'error':
        log.error({ err: s.error }, 'nats error');
        break;
      case 'staleConnection':
        log.warn('nats connection stale');
        break;
      case 'slowConsumer':
        log.warn({ subject: s.sub.getSubject(), pending: s.pending }, 'nats slow consumer');
        break;
      case 'close':
        log.info('nats connection closed');
        break;
      default:
        break;
    }
  }
}
