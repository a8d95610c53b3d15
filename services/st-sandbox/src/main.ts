import { runService, serveHttp } from '@pricebook/service-kit';
import { createSandbox } from './app';
import { sandboxEnv } from './env';

// Composition root: no database, no NATS; the kit serves the app and stops it on a signal, or when
// the test harness that started it goes away.
await runService({
  name: 'st-sandbox',
  env: sandboxEnv,
  graceMs: 5_000,
  start: async ({ env, log }) => {
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
    // A test's requests are not worth waiting for: cut them at once.
    const http = await serveHttp({ fetch: app.fetch, port: env.PORT, host: env.HOST, log, graceMs: 0 });
    log.info({ tenant: env.SANDBOX_TENANT_ID, items: env.SANDBOX_SEED_ITEMS }, 'sandbox seeded');
    return { http };
  },
});
