import type { Logger } from '@pricebook/logger';

/** What the re-seal reads and writes (a `TenantDirectory`). */
export interface Resealable {
  reseal(): Promise<number>;
}

/**
 * Seals again with the newest `TENANT_SECRETS_KEYS` key every stored tenant credential sealed with
 * an older one, and logs how many tenants changed. Several replicas may run it at once: a tenant
 * changes only if nobody re-sealed it meanwhile. A failure is logged and left to the next run.
 * Returns how many changed, or `undefined` when it failed.
 *
 * @example
 * await resealCredentials(tenants, log); // after a new key was put first in TENANT_SECRETS_KEYS
 */
export async function resealCredentials(tenants: Resealable, log: Logger): Promise<number | undefined> {
  try {
    const resealed = await tenants.reseal();
    if (resealed > 0) log.info({ resealed }, 'tenant credentials re-sealed with the newest key');
    return resealed;
  } catch (err) {
    log.warn({ err }, 'tenant credentials not re-sealed; the next run tries again');
    return undefined;
  }
}
