import { envBoolean, envInt, loadConfig } from '@pricebook/config';
import { createLogger } from '@pricebook/logger';
import { z } from 'zod';
import { createSandbox, defaultTenantSpec } from './app';
import { startServer } from './server';
import { defaultSettings } from './state';

const env = loadConfig(
  z.object({
    PORT: envInt(4010, 0, 65535),
    HOST: z.string().default('127.0.0.1'),
    SANDBOX_TENANT_ID: z
      .string()
      .regex(/^\d{1,18}$/)
      .default(defaultTenantSpec.tenantId),
    SANDBOX_CLIENT_ID: z.string().min(1).default(defaultTenantSpec.clientId),
    SANDBOX_CLIENT_SECRET: z.string().min(1).default(defaultTenantSpec.clientSecret),
    SANDBOX_APP_KEY: z.string().min(1).default(defaultTenantSpec.appKey),
    SANDBOX_SEED_ITEMS: envInt(0, 0, 500_000),
    SANDBOX_SEED: envInt(1),
    SANDBOX_EXPORT_PAGE_SIZE: envInt(defaultSettings.exportPageSize, 1, 50_000),
    SANDBOX_EXTRA_FIELDS: envBoolean(defaultSettings.extraFields),
    SANDBOX_RATE_LIMIT: envInt(defaultSettings.rateLimitPerSecond),
  }),
);
const log = createLogger({ service: 'st-sandbox' });

const { app } = createSandbox({
  settings: {
    exportPageSize: env.SANDBOX_EXPORT_PAGE_SIZE,
    extraFields: env.SANDBOX_EXTRA_FIELDS,
    rateLimitPerSecond: env.SANDBOX_RATE_LIMIT,
  },
  defaultTenant: {
    tenantId: env.SANDBOX_TENANT_ID,
    clientId: env.SANDBOX_CLIENT_ID,
    clientSecret: env.SANDBOX_CLIENT_SECRET,
    appKey: env.SANDBOX_APP_KEY,
    items: env.SANDBOX_SEED_ITEMS,
    seed: env.SANDBOX_SEED,
  },
  onError: (error) => log.error({ err: error }, 'unexpected error'),
});
const server = await startServer(app, env.PORT, env.HOST);
log.info(
  { port: server.port, host: env.HOST, tenant: env.SANDBOX_TENANT_ID, items: env.SANDBOX_SEED_ITEMS },
  'listening',
);

let stopping = false;
const shutdown = (signal: string) => {
  if (stopping) return;
  stopping = true;
  log.info({ signal }, 'shutting down');
  const force = setTimeout(() => process.exit(1), 5_000);
  force.unref();
  void server.close().then(() => process.exit(0));
};
process.once('SIGTERM', () => shutdown('SIGTERM'));
process.once('SIGINT', () => shutdown('SIGINT'));
// Started by a test harness with an IPC channel: do not outlive it if it dies without stopping us.
if (process.send) process.once('disconnect', () => shutdown('disconnect'));
