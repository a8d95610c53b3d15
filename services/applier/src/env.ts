import { baseEnv, databasePoolMax, envBoolean, envInt, healthPort, loadConfig } from '@pricebook/config';
import { defaultPushLimits } from '@pricebook/contracts';
import { tenantsEnvFields } from '@pricebook/tenants';
import { z } from 'zod';
import { type ApplierJob, applierJobs } from './jobs';

/** The applier's settings, validated once at boot. */
export const applierEnv = baseEnv.extend({
  /**
   * The jobs this instance runs, comma-separated (`pipeline`, `commands`, `write-back`; default
   * all). Write-back, which alone needs ServiceTitan credentials, can run on instances of its own.
   */
  APPLIER_JOBS: z
    .string()
    .default(applierJobs.join(','))
    .transform((list) => [
      ...new Set(
        list
          .split(',')
          .map((job) => job.trim())
          .filter((job) => job !== ''),
      ),
    ])
    .pipe(z.array(z.enum(applierJobs)).min(1, 'name at least one job'))
    .transform((jobs): readonly ApplierJob[] => jobs),
  /**
   * The tenants: the environment's own (`ST_*`, optional) and the keys that open the credentials
   * of those added through `/api/tenants`. The applier serves every tenant the directory knows.
   */
  ...tenantsEnvFields,
  /** A full sync refuses to soft-delete more than this share of an entity's live rows. */
  SYNC_MASS_DELETE_MAX_SHARE: z.coerce.number().min(0).max(1).default(0.5),
  /** Decisions per batch (one transaction each). */
  APPLIER_BATCH_SIZE: envInt(1000, 1, 5000),
  /**
   * Batches of decisions in flight at once in this process (each its own pull and transaction),
   * so fetching, parsing and the database overlap. Row locks keep concurrent batches consistent.
   */
  APPLIER_DECIDED_CONCURRENCY: envInt(2, 1, 16),
  /** A batch is handed over once no decision arrived for this long. */
  APPLIER_LINGER_MS: envInt(20, 0, 1000),
  /** Fences handled at once (each is its own transaction). */
  APPLIER_FENCE_CONCURRENCY: envInt(2, 1, 32),
  /** Minimum time between two `sync.progress` events of one sync. */
  APPLIER_PROGRESS_INTERVAL_MS: envInt(2000, 0, 600_000),
  /** Outbox rows claimed per relay transaction. */
  RELAY_BATCH_SIZE: envInt(1000, 1, 10_000),
  /** Publishes in flight at once while relaying a batch. */
  RELAY_CONCURRENCY: envInt(256, 1, 4096),
  /** Pause between polls of an empty outbox. */
  RELAY_IDLE_MS: envInt(150, 10, 60_000),
  /**
   * A queued or running sync whose progress (counters, run heartbeats) has not moved for this long
   * is failed by the watchdog (counted only while the database can be read).
   */
  WATCHDOG_STALL_MS: envInt(1_800_000, 1000, 86_400_000),
  /** Time between two looks of the watchdog at the open syncs. */
  WATCHDOG_INTERVAL_MS: envInt(30_000, 100, 600_000),
  DATABASE_POOL_MAX: databasePoolMax(8, 2),
  HEALTH_PORT: healthPort(9103),
  // Write-back (`push.command`). Each push uses its tenant's credentials and application GUID from
  // the directory; a tenant without them fails its push's sync with `push_not_configured`.
  /** Push a local delete as a hard `DELETE` instead of `PATCH active: false`. */
  ST_HARD_DELETE: envBoolean(false),
  /** Pending rows per push batch (one transaction each, held across its ST calls). */
  PUSH_BATCH_SIZE: envInt(100, 1, 1000),
  /** The push brake: a push changing the prices of more items than this stops unless `allowMassChange`. */
  PUSH_MAX_PRICE_CHANGES: envInt(defaultPushLimits.maxPriceChanges, 0, 10_000_000),
  /** …or of more than this share of an entity's items (judged from 10 changes up). */
  PUSH_MAX_PRICE_CHANGE_SHARE: z.coerce.number().min(0).max(1).default(defaultPushLimits.maxPriceChangeShare),
  /** …or moving any price by more than this factor (5 = ×5 or cut to a fifth), or wiping one to zero. */
  PUSH_MAX_PRICE_FACTOR: z.coerce.number().min(1).default(defaultPushLimits.maxPriceFactor),
  /** …or deleting more than this share of an entity's items (judged from 10 deletions up). */
  PUSH_MAX_DELETE_SHARE: z.coerce.number().min(0).max(1).default(defaultPushLimits.maxDeleteShare),
  /** Updates of one SKU entity in a batch from which one bulk `PATCH /pricebook` replaces single PATCHes. */
  PUSH_BULK_MIN: envInt(10, 2, 10_000),
  /**
   * Use ServiceTitan's bulk \`PATCH /pricebook\` at all. Off by default: a bulk update must carry
   * whole records, write-only fields included (\`intacctGlGroupAccount\`, \`variationMaterials\`,
   * \`variationEquipment\`), which ServiceTitan never shows, so a bulk would send them empty. Turn it
   * on only for a tenant that uses none of them.
   */
  PUSH_BULK_UPDATES: envBoolean(false),
  /**
   * Fault injection for crash tests only: the process kills itself (SIGKILL) right after
   * ServiceTitan accepted a create, before the row records its ST id. Never set in production.
   */
  FAULT_KILL_AFTER_ST_CREATE: envBoolean(false),
});
export type ApplierEnv = z.infer<typeof applierEnv>;

/**
 * Reads and validates the environment; throws a readable `ConfigError` listing every problem.
 *
 * @example
 * const env = loadApplierEnv(); // env.APPLIER_JOBS: ['pipeline', 'commands', 'write-back']
 */
export function loadApplierEnv(source: Record<string, string | undefined> = process.env): ApplierEnv {
  return loadConfig(applierEnv, source);
}
