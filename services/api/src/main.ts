import type { Message } from '@pricebook/contracts';
import { EmbeddingsClient, embeddingsSettings } from '@pricebook/embeddings';
import { publish, publishedTypes } from '@pricebook/messaging';
import { startRelay } from '@pricebook/outbox';
import { openSchedulerState } from '@pricebook/schedule';
import { runService, serveHttp } from '@pricebook/service-kit';
import { SecretBox, TenantDirectory } from '@pricebook/tenants';
import { createApp } from './app';
import { apiConfig, apiEnv } from './env';
import { cachedSchedulerStates } from './sync/scheduler-states';

/** A command not acknowledged by then is left to the outbox relay; the client is not kept waiting. */
const timeoutMs = 5_000;

// Composition root: the kit opens the database and NATS and stops in order; the API serves its own health.
await runService({
  name: 'api',
  env: apiEnv,
  database: true,
  nats: true,
  start: async ({ env, log, orm, nc, js, metrics }) => {
    const send = async (message: Message, msgId?: string) => {
      await publish(js, message, { timeoutMs, msgId });
    };
    const embeddings = embeddingsSettings(env);
    if (!embeddings) log.info('no embeddings provider configured: search answers from full text only');
    const app = createApp({
      orm,
      log,
      metrics,
      config: apiConfig(env),
      tenants: new TenantDirectory(orm, env),
      ...(env.TENANT_SECRETS_KEYS ? { webhookSecrets: new SecretBox(env.TENANT_SECRETS_KEYS) } : {}),
      schedulerState: cachedSchedulerStates((tenantId) => openSchedulerState(nc, tenantId)),
      publish: send,
      republish: send,
      ...(embeddings ? { embedder: new EmbeddingsClient(embeddings) } : {}),
      natsHealth: async () => {
        if (nc.isClosed()) throw new Error('nats connection closed');
        await nc.flush();
      },
    });
    const http = await serveHttp({ fetch: app.fetch, port: env.PORT, host: env.HOST, log });
    // Each writer relays what it may publish, so its commands never wait for the applier.
    const relay = startRelay({ orm, js, log, types: publishedTypes('api') });
    return { http, relay };
  },
});
