import { baseEnv, databasePoolMax, envInt, healthPort } from '@pricebook/config';
import { embeddingsFields } from '@pricebook/embeddings';
import type { z } from 'zod';

/**
 * The embedder's environment: PostgreSQL, NATS and the embeddings provider. Without
 * `EMBEDDINGS_URL` and `EMBEDDINGS_MODEL` it starts, says so, and embeds nothing.
 *
 * @example
 * const env = loadConfig(embedderEnv);
 */
export const embedderEnv = baseEnv.extend({
  ...embeddingsFields,
  /** Change events per batch: one read per (tenant, entity) and one write per batch. */
  EMBEDDER_BATCH_SIZE: envInt(200, 1, 2_000),
  /** How long a batch waits for more events before it is embedded. */
  EMBEDDER_LINGER_MS: envInt(500, 0, 10_000),
  /**
   * Longest the embedder waits, in one stretch, while syncs are at work (it takes up its backlog
   * after them); 0 embeds beside them.
   */
  EMBEDDER_YIELD_MAX_MS: envInt(600_000, 0, 86_400_000),
  DATABASE_POOL_MAX: databasePoolMax(2),
  HEALTH_PORT: healthPort(9106),
});
export type EmbedderEnv = z.infer<typeof embedderEnv>;
