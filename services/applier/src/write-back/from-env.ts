import { defaultPushLimits } from '@pricebook/contracts';
import type { Orm } from '@pricebook/db';
import type { Logger } from '@pricebook/logger';
import { TenantDirectory, TenantStClients, type TenantsEnv } from '@pricebook/tenants';
import type { ApplierEnv } from '../env';
import type { StClients } from '../shared/tenant-st';
import type { PushDeps } from './run';

/** The settings the push reads (its tenants' credentials come from the directory); absent ones take the env defaults. */
export type PushSettings = Pick<
  ApplierEnv,
  | 'ST_HARD_DELETE'
  | 'PUSH_BATCH_SIZE'
  | 'PUSH_BULK_MIN'
  | 'PUSH_BULK_UPDATES'
  | 'PUSH_MAX_PRICE_CHANGES'
  | 'PUSH_MAX_PRICE_CHANGE_SHARE'
  | 'PUSH_MAX_PRICE_FACTOR'
  | 'PUSH_MAX_DELETE_SHARE'
  | 'FAULT_KILL_AFTER_ST_CREATE'
>;

/**
 * The push's dependencies from the environment. Each push reaches its tenant through `clients`
 * (a tenant without credentials or application GUID fails its push's sync with
 * `push_not_configured`, and nothing else is affected).
 *
 * @example
 * const handler = createPushHandler(pushDepsFromEnv(orm, env, log, clients));
 */
export function pushDepsFromEnv(
  orm: Orm,
  env: Partial<PushSettings> & TenantsEnv,
  log: Logger,
  /** The instance's tenants' clients (built from `env`'s directory when not given). */
  clients: StClients = new TenantStClients({ tenants: new TenantDirectory(orm, env), orm, log }),
): PushDeps {
  return {
    orm,
    clients,
    hardDelete: env.ST_HARD_DELETE ?? false,
    batchSize: env.PUSH_BATCH_SIZE ?? 100,
    // Never bulk unless asked for: see PUSH_BULK_UPDATES.
    bulkMin: env.PUSH_BULK_UPDATES ? (env.PUSH_BULK_MIN ?? 10) : Number.POSITIVE_INFINITY,
    limits: {
      maxPriceChanges: env.PUSH_MAX_PRICE_CHANGES ?? defaultPushLimits.maxPriceChanges,
      maxPriceChangeShare: env.PUSH_MAX_PRICE_CHANGE_SHARE ?? defaultPushLimits.maxPriceChangeShare,
      maxPriceFactor: env.PUSH_MAX_PRICE_FACTOR ?? defaultPushLimits.maxPriceFactor,
      maxDeleteShare: env.PUSH_MAX_DELETE_SHARE ?? defaultPushLimits.maxDeleteShare,
    },
    ...(env.FAULT_KILL_AFTER_ST_CREATE ? { afterCreate: killSelf(log) } : {}),
  };
}

/** The crash-test fault: die at once, as a power cut or an OOM kill would, with nothing recorded. */
function killSelf(log: Logger): () => Promise<void> {
  return async () => {
    log.warn('FAULT_KILL_AFTER_ST_CREATE: killing the process after a create');
    process.kill(process.pid, 'SIGKILL');
    await new Promise(() => undefined);
  };
}
