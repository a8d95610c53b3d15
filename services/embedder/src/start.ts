import { setTimeout as sleep } from 'node:timers/promises';
import type { JetStreamClient } from '@nats-io/jetstream';
import { consumers } from '@pricebook/contracts';
import { type Orm, recordPoison } from '@pricebook/db';
import { assertDimensions, type Embedder, EmbeddingsClient, embeddingsSettings } from '@pricebook/embeddings';
import { AppError } from '@pricebook/errors';
import type { Logger } from '@pricebook/logger';
import { type ConsumerRunner, loopBackoffMs, type PoisonRecord, runConsumer } from '@pricebook/messaging';
import type { EngineMetrics } from '@pricebook/observability';
import type { ServiceParts } from '@pricebook/service-kit';
import { columnDimensions } from './embed';
import type { EmbedderEnv } from './env';
import { embedHandler } from './handler';
import { YieldToSyncs } from './yield';

/**
 * The width of the provider's vectors. A provider that does not answer yet is waited for (an
 * outage at start is no reason to stop); anything else, a refused request for one, stops the start.
 */
async function probeWidth(embedder: EmbeddingsClient, log: Logger, signal?: AbortSignal): Promise<number> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await embedder.probeDimensions(signal);
    } catch (err) {
      if (!(err instanceof AppError) || err.kind !== 'infrastructure' || signal?.aborted) throw err;
      const delayMs = loopBackoffMs(attempt, 30_000);
      log.warn({ err, attempt, delayMs }, 'embeddings provider does not answer yet; trying again');
      await sleep(delayMs);
    }
  }
}

/** The provider's settings checked against the columns: the client and the width to store. */
export async function openEmbedder(env: EmbedderEnv, orm: Orm, log: Logger, signal?: AbortSignal) {
  const settings = embeddingsSettings(env);
  if (!settings) {
    log.warn(
      'no embeddings provider configured (EMBEDDINGS_URL, EMBEDDINGS_MODEL): nothing is embedded, and search answers from full text only',
    );
    return undefined;
  }
  const embedder = new EmbeddingsClient(settings);
  const dimensions = await columnDimensions(orm.em.fork());
  assertDimensions({
    model: settings.model,
    provided: await probeWidth(embedder, log, signal),
    column: dimensions,
  });
  log.info(
    { model: settings.model, provider: new URL(settings.url).host, dimensions },
    'embeddings provider ready',
  );
  return { embedder, dimensions };
}

/** What the embedding consumers need: a provider and where to write, and how to share the machine. */
export interface EmbedConsumerOptions {
  js: JetStreamClient;
  log: Logger;
  orm: Orm;
  embedder: Embedder;
  dimensions: number;
  batchSize?: number;
  lingerMs?: number;
  /** Waits before each pull while syncs are at work (none: embeds beside them). */
  yieldToSyncs?: Pick<YieldToSyncs, 'wait'>;
  onPoison?: (record: PoisonRecord) => Promise<void>;
  metrics?: EngineMetrics;
}

/**
 * One consumer per event type the embedder takes (`record.created`, `record.updated`), with the
 * same handler and the same gate in front of every pull.
 *
 * @example
 * const parts = runEmbedConsumers({ js, log, orm, embedder, dimensions: 1536 });
 */
export function runEmbedConsumers(
  options: EmbedConsumerOptions,
): Record<'created' | 'updated', ConsumerRunner> {
  const { orm, embedder, dimensions, yieldToSyncs, ...rest } = options;
  const common = {
    ...rest,
    ...(yieldToSyncs ? { beforePull: (signal: AbortSignal) => yieldToSyncs.wait(signal) } : {}),
  };
  const deps = { orm, embedder, dimensions, yieldToSyncs };
  return {
    created: runConsumer({
      ...common,
      consumer: consumers.embedCreated,
      handler: embedHandler<'record.created'>(deps),
    }),
    updated: runConsumer({
      ...common,
      consumer: consumers.embedUpdated,
      handler: embedHandler<'record.updated'>(deps),
    }),
  };
}

/**
 * The embedder's parts: one consumer per event type, or none without a provider. A model whose
 * width does not fit the columns stops the start with the reason.
 */
export async function startEmbedder(context: {
  env: EmbedderEnv;
  log: Logger;
  orm: Orm;
  js: JetStreamClient;
  metrics: EngineMetrics;
}): Promise<ServiceParts> {
  const { env, log, orm, js, metrics } = context;
  const opened = await openEmbedder(env, orm, log);
  if (!opened) return {};
  return runEmbedConsumers({
    js,
    log,
    orm,
    ...opened,
    batchSize: env.EMBEDDER_BATCH_SIZE,
    lingerMs: env.EMBEDDER_LINGER_MS,
    yieldToSyncs: new YieldToSyncs({ orm, log, settings: { maxWaitMs: env.EMBEDDER_YIELD_MAX_MS } }),
    onPoison: recordPoison(orm),
    metrics,
  });
}
