import { connect, type NatsConnection, type NodeConnectionOptions } from '@nats-io/transport-node';
import type { Logger } from '@pricebook/logger';

export interface ConnectNatsOptions {
  /** One URL or a comma-separated list (`nats://a:4222,nats://b:4222`). */
  url: string;
  /** The connection name the server shows (`fetcher`, `applier-2`…). */
  name: string;
  log: Logger;
  /** Keep retrying the first connect instead of failing fast (for orchestrators that start NATS late). */
  waitOnFirstConnect?: boolean;
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
    ...options.options,
  });
  log.info({ server: nc.getServer(), version: nc.info?.version }, 'nats connected');
  void watchStatus(nc, log);
  return nc;
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
