import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from '@pricebook/logger';
import type { EngineMetrics } from './metrics';
import type { ReadinessReport } from './readiness';

export interface HealthServerOptions {
  /** The port to listen on (`HEALTH_PORT`); pass an explicit one, `0` is for the caller to treat as off. */
  port: number;
  /** Default `0.0.0.0`, so an orchestrator's probe reaches it. */
  host?: string;
  metrics: EngineMetrics;
  /** Runs the readiness checks for `/readyz`. */
  ready: () => Promise<ReadinessReport>;
  log: Logger;
}

export interface HealthServer {
  /** The port actually bound. */
  readonly port: number;
  close(): Promise<void>;
}

/** Prometheus' text exposition format, as prom-client writes it. */
const metricsType = 'text/plain; version=0.0.4; charset=utf-8';

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
  res.end(JSON.stringify(body));
}

/**
 * A tiny HTTP server for a consumer service: `/metrics` (Prometheus text), `/healthz` (the process
 * is alive; touches nothing, so a slow database never gets the process restarted) and `/readyz`
 * (200 when every check passes, else 503 with the checks).
 *
 * @example
 * const server = await startHealthServer({ port: 9103, metrics, ready: () => checkReadiness(checks), log });
 * await server.close();
 */
export async function startHealthServer(options: HealthServerOptions): Promise<HealthServer> {
  const log = options.log.child({ component: 'health-server' });
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, { error: 'method not allowed' });
    if (path === '/healthz') return send(res, 200, { status: 'ok' });
    if (path === '/readyz') {
      options.ready().then(
        (report) => {
          if (!report.ready) log.warn({ checks: report.checks }, 'not ready');
          send(res, report.ready ? 200 : 503, {
            status: report.ready ? 'ready' : 'not_ready',
            checks: report.checks,
          });
        },
        (err: unknown) => {
          log.error({ err }, 'readiness check failed');
          send(res, 503, { status: 'not_ready', checks: {} });
        },
      );
      return;
    }
    if (path === '/metrics') {
      options.metrics.scrape().then(
        (text) => {
          res.writeHead(200, { 'content-type': metricsType });
          res.end(text);
        },
        (err: unknown) => {
          log.error({ err }, 'metrics scrape failed');
          send(res, 500, { error: 'scrape failed' });
        },
      );
      return;
    }
    send(res, 404, { error: 'not found', paths: ['/healthz', '/readyz', '/metrics'] });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host ?? '0.0.0.0', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  log.info({ port }, 'health server listening');
  return {
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
