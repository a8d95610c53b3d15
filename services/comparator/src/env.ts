import { baseEnv, databasePoolMax, envInt, healthPort } from '@pricebook/config';
import type { z } from 'zod';

/**
 * The comparator's environment: logging, PostgreSQL (read only) and NATS. It never talks to
 * ServiceTitan and serves every tenant, so it reads no `ST_*` setting.
 *
 * @example
 * const env = loadConfig(comparatorEnv);
 */
export const comparatorEnv = baseEnv.extend({
  /** Observed records per batch: one query per (tenant, entity) of a batch. */
  COMPARATOR_BATCH_SIZE: envInt(1_000, 1, 5_000),
  /** How long a batch waits for more records before it is compared. */
  COMPARATOR_LINGER_MS: envInt(50, 0, 5_000),
  /** Decisions in flight to JetStream at once. */
  COMPARATOR_PUBLISH_CONCURRENCY: envInt(256, 1, 4_096),
  DATABASE_POOL_MAX: databasePoolMax(4),
  HEALTH_PORT: healthPort(9102),
});
export type ComparatorEnv = z.infer<typeof comparatorEnv>;
