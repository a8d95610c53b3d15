import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import type { Logger } from '@pricebook/logger';
import type { ServicePart } from './part';

export interface ServeHttpOptions {
  /** The app's fetch handler (`app.fetch` of a Hono app). */
  fetch: (request: Request) => Response | Promise<Response>;
  port: number;
  host: string;
  log: Logger;
  /** In-flight requests (a long `?wait=true`) get this long after a stop before they are cut (default 10 s). */
  graceMs?: number;
}

export interface HttpPart extends ServicePart {
  /** The port actually bound (for `port: 0`). */
  readonly port: number;
}

/**
 * Serves a fetch handler over HTTP as a part of a service: resolves once it listens; `stop()`
 * stops taking connections and waits for the requests in flight (cut after `graceMs`); `stopped`
 * resolves when the server closes, asked or not.
 *
 * @example
 * start: ({ env, log }) => ({ http: serveHttp({ fetch: app.fetch, port: env.PORT, host: env.HOST, log }) })
 */
export async function serveHttp(options: ServeHttpOptions): Promise<HttpPart> {
  const { log } = options;
  const server = await new Promise<ReturnType<typeof serve>>((resolve, reject) => {
    const s = serve({ fetch: options.fetch, port: options.port, hostname: options.host }, () => {
      s.off('error', reject);
      resolve(s);
    });
    s.once('error', reject);
  });
  const { port, address } = server.address() as AddressInfo;
  log.info({ port, host: address }, 'http listening');
  const stopped = new Promise<void>((resolve) => server.once('close', () => resolve()));
  // A server error after listening (the socket taken away) closes it: the service then exits to be restarted.
  server.on('error', (err) => {
    log.error({ err }, 'http server failed');
    server.close();
  });
  const cutAll = () => {
    if ('closeAllConnections' in server) server.closeAllConnections();
  };
  return {
    port,
    stopped,
    async stop() {
      const cut = setTimeout(cutAll, options.graceMs ?? 10_000);
      server.close();
      // A keep-alive connection that goes idle once its answer is sent would otherwise hold the
      // close until it times out (seconds).
      const idle = setInterval(() => {
        if ('closeIdleConnections' in server) server.closeIdleConnections();
      }, 50);
      await stopped;
      clearInterval(idle);
      clearTimeout(cut);
    },
  };
}
