import { consumers } from '@pricebook/contracts';
import { recordPoison } from '@pricebook/db';
import { runConsumer } from '@pricebook/messaging';
import { webhookMetrics } from '@pricebook/observability';
import { runService } from '@pricebook/service-kit';
import { SecretBox } from '@pricebook/tenants';
import { startDispatcher } from './dispatcher';
import { webhooksEnv } from './env';
import { recordDeliveries } from './intake';
import { countPending } from './pending';

// Composition root: the kit opens the database and NATS, serves health, and stops in order.
await runService({
  name: 'webhooks',
  env: webhooksEnv,
  database: true,
  nats: true,
  health: { consumers: [consumers.webhooks] },
  start: ({ env, log, orm, js, metrics }) => {
    if (!env.TENANT_SECRETS_KEYS) log.warn('TENANT_SECRETS_KEYS is not set: no webhook can be signed');
    return {
      consumer: runConsumer({
        js,
        log,
        consumer: consumers.webhooks,
        handler: recordDeliveries(orm),
        onPoison: recordPoison(orm),
        metrics,
      }),
      dispatcher: startDispatcher({
        orm,
        log,
        box: env.TENANT_SECRETS_KEYS ? new SecretBox(env.TENANT_SECRETS_KEYS) : undefined,
        schedule: env.WEBHOOKS_RETRY_SCHEDULE_MS,
        disableAfterMs: env.WEBHOOKS_DISABLE_AFTER_MS,
        timeoutMs: env.WEBHOOKS_TIMEOUT_MS,
        allowPrivate: env.WEBHOOKS_ALLOW_PRIVATE_URLS,
        concurrency: env.WEBHOOKS_CONCURRENCY,
        pollMs: env.WEBHOOKS_POLL_MS,
        metrics: webhookMetrics(metrics, () => countPending(orm)),
      }),
    };
  },
});
