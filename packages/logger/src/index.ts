import type { Logger } from 'pino';
import { pino } from 'pino';

export type { Logger };

/** Paths whose values never reach a log line. */
export const redactPaths = [
  'password',
  'secret',
  'clientSecret',
  'client_secret',
  'accessToken',
  'access_token',
  'token',
  'authorization',
  'apiKey',
  'appKey',
  'pass',
  'seed',
  'NATS_PASSWORD',
  'NATS_TOKEN',
  'NATS_NKEY_SEED',
  '*.password',
  '*.pass',
  '*.token',
  '*.seed',
  '*.secret',
  '*.clientSecret',
  '*.client_secret',
  '*.accessToken',
  '*.access_token',
  '*.authorization',
  '*.apiKey',
  '*.appKey',
  'headers.authorization',
  'headers["st-app-key"]',
  'req.headers.authorization',
  'req.headers["st-app-key"]',
];

export interface LoggerOptions {
  service: string;
  level?: string;
  /** Where lines go; defaults to stdout. Tests pass a stream to read them back. */
  destination?: pino.DestinationStream;
}

/**
 * Structured JSON logger: constant messages, data in fields, secrets redacted.
 *
 * @example
 * const log = createLogger({ service: 'fetcher' }).child({ component: 'export' });
 * log.info({ entity: 'materials', count: 500 }, 'page fetched');
 */
export function createLogger(options: LoggerOptions): Logger {
  const level = options.level ?? process.env.LOG_LEVEL ?? 'info';
  const config = {
    level,
    base: { service: options.service },
    redact: { paths: redactPaths, censor: '[redacted]' },
    timestamp: pino.stdTimeFunctions.isoTime,
  };
  return options.destination ? pino(config, options.destination) : pino(config);
}
