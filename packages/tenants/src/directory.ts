import type { Tenant, TenantCreateRequest, TenantStatus, TenantUpdateRequest } from '@pricebook/contracts';
import { type Orm, purgeTenant } from '@pricebook/db';
import { AppError } from '@pricebook/errors';
import type { StConnection } from '@pricebook/st-client';
import type { TenantsEnv } from './env';
import { type SecretBinding, SecretBox, SecretUnreadableError } from './secrets';
import {
  findStoredTenant,
  insertStoredTenant,
  listStoredTenants,
  type StoredTenant,
  storedTenantView,
  updateStoredTenant,
} from './store';

/**
 * Whether `error` is the directory refusing a tenant for its status (paused, removed), as opposed
 * to its credentials (missing, unreadable): the one place that reads what `connection` throws.
 *
 * @example
 * refusedForStatus(await tenants.connection('1002').catch((e: unknown) => e)); // true when paused
 */
export function refusedForStatus(error: unknown): boolean {
  return (
    error instanceof AppError &&
    error.code === 'tenant_unavailable' &&
    typeof error.details?.tenantStatus === 'string'
  );
}

/** How to reach ServiceTitan as one tenant, with what tells a changed set of credentials apart. */
export interface TenantConnection extends StConnection {
  /** Tags the items the engine creates in ServiceTitan; write-back needs it. */
  applicationGuid: string | undefined;
  /** Changes whenever any of the above changes (clients built from it are rebuilt). */
  version: string;
}

/**
 * The tenants this deployment serves: the environment's own (`ST_*`, read-only) and those added
 * through `/api/tenants` (stored, their secrets sealed). Every service asks it, never its own
 * settings, which tenant exists and how to reach it; nothing here is cached, so a pause or a new
 * secret counts from the next sync or push.
 *
 * @example
 * const tenants = tenantDirectory(orm, env);
 * const connection = await tenants.connection('1001'); // throws `tenant_unavailable` when paused
 */
export class TenantDirectory {
  readonly #orm: Orm;
  readonly #env: TenantsEnv;
  readonly #box: SecretBox | undefined;

  constructor(orm: Orm, env: TenantsEnv) {
    this.#orm = orm;
    this.#env = env;
    this.#box = env.TENANT_SECRETS_KEYS ? new SecretBox(env.TENANT_SECRETS_KEYS) : undefined;
  }

  /** The environment's tenant (`ST_TENANT_ID`): what a request about no named tenant is about. */
  get defaultTenantId(): string | undefined {
    return this.#env.ST_TENANT_ID;
  }

  /** Every tenant, the environment's first; removed ones too (their data stays readable). */
  async list(): Promise<Tenant[]> {
    const stored = await listStoredTenants(this.#orm.em.fork());
    const own = this.#envTenant();
    return [
      ...(own ? [own] : []),
      ...stored.filter((t) => t.tenantId !== own?.tenantId).map(storedTenantView),
    ];
  }

  async get(tenantId: string): Promise<Tenant | undefined> {
    const own = this.#envTenant();
    if (own?.tenantId === tenantId) return own;
    const stored = await findStoredTenant(this.#orm.em.fork(), tenantId);
    return stored ? storedTenantView(stored) : undefined;
  }

  /**
   * The credentials of an active tenant. Throws `not_found` for a tenant nobody added and
   * `tenant_unavailable` (not retryable, with the reason) for a paused or removed one, or one
   * whose credentials cannot be read.
   */
  async connection(tenantId: string): Promise<TenantConnection> {
    if (this.#env.ST_TENANT_ID === tenantId) return this.#envConnection(tenantId);
    const stored = await findStoredTenant(this.#orm.em.fork(), tenantId);
    if (!stored) throw new AppError('not_found', `no tenant ${tenantId}`);
    if (stored.status !== 'active') {
      throw new AppError('tenant_unavailable', `tenant ${tenantId} is ${stored.status}`, {
        details: { tenantId, tenantStatus: stored.status },
      });
    }
    return {
      tenantId,
      baseUrl: stored.apiBaseUrl,
      authUrl: stored.authUrl,
      clientId: stored.clientId,
      clientSecret: this.#open(stored, 'clientSecret'),
      appKey: this.#open(stored, 'appKey'),
      applicationGuid: stored.applicationGuid ?? undefined,
      version: stored.updatedAt.toISOString(),
    };
  }

  /** Adds a tenant (or brings a removed one back, its data intact). 409 when it exists. */
  async create(input: TenantCreateRequest): Promise<Tenant> {
    this.#refuseEnvTenant(input.tenantId);
    const box = this.#requireBox();
    const binding = (field: SecretBinding['field']) => ({ tenantId: input.tenantId, field });
    const stored = await insertStoredTenant(this.#orm.em.fork(), input.tenantId, {
      name: input.name,
      clientId: input.clientId,
      clientSecret: box.seal(input.clientSecret, binding('clientSecret')),
      appKey: box.seal(input.appKey, binding('appKey')),
      secretsKeyId: box.currentKeyId,
      applicationGuid: input.applicationGuid ?? null,
      apiBaseUrl: input.apiBaseUrl,
      authUrl: input.authUrl,
      ...(input.schedule ? { schedule: input.schedule } : {}),
    });
    if (!stored) throw new AppError('conflict', `tenant ${input.tenantId} exists`);
    return storedTenantView(stored);
  }

  /**
   * Changes the given fields. A new secret is sealed with the current key; a tenant keeps the key
   * id of its older secret until both are sealed again (`reseal`), so both are re-sealed here.
   */
  async update(tenantId: string, patch: TenantUpdateRequest): Promise<Tenant> {
    this.#refuseEnvTenant(tenantId);
    const em = this.#orm.em.fork();
    const current = await this.#existing(tenantId);
    if (current.status === 'removed') {
      throw new AppError('conflict', `tenant ${tenantId} was removed: add it again to change it`);
    }
    const { clientSecret, appKey, schedule, ...plain } = patch;
    const secrets =
      clientSecret === undefined && appKey === undefined
        ? {}
        : this.#sealBoth(tenantId, {
            clientSecret: clientSecret ?? this.#open(current, 'clientSecret'),
            appKey: appKey ?? this.#open(current, 'appKey'),
          });
    const updated = await updateStoredTenant(em, tenantId, {
      ...plain,
      ...secrets,
      ...(schedule ? { schedule } : {}),
    });
    if (!updated) throw new AppError('conflict', `tenant ${tenantId} was removed: add it again to change it`);
    return storedTenantView(updated);
  }

  /** Pauses, resumes or removes a tenant; removing keeps its data. */
  async setStatus(tenantId: string, status: TenantStatus): Promise<Tenant> {
    this.#refuseEnvTenant(tenantId);
    const current = await this.#existing(tenantId);
    if (current.status === 'removed' && status !== 'removed') {
      throw new AppError('conflict', `tenant ${tenantId} was removed: add it again to bring it back`);
    }
    const updated = await updateStoredTenant(this.#orm.em.fork(), tenantId, { status });
    if (!updated) throw new AppError('not_found', `no tenant ${tenantId}`);
    return storedTenantView(updated);
  }

  /**
   * Deletes everything a removed tenant left (pricebook, history, syncs, conflicts, events) and the
   * tenant itself; returns how many rows went. 409 unless the tenant is removed first.
   */
  async purge(tenantId: string): Promise<number> {
    this.#refuseEnvTenant(tenantId);
    const current = await this.#existing(tenantId);
    if (current.status !== 'removed') {
      throw new AppError(
        'conflict',
        `tenant ${tenantId} is ${current.status}: remove it before purging its data`,
      );
    }
    return purgeTenant(this.#orm, tenantId);
  }

  /**
   * Seals again, with the current key, every stored secret sealed with an older one (after a
   * new key was put first in `TENANT_SECRETS_KEYS`), removed tenants' too. Returns how many
   * tenants changed; once it returns 0 everywhere, the old key can leave the list. A tenant whose
   * secrets do not open is passed over, and named in the `tenant_unavailable` error thrown once
   * the others are done.
   */
  async reseal(): Promise<number> {
    const box = this.#box;
    if (!box) return 0;
    const em = this.#orm.em.fork();
    let changed = 0;
    const unreadable: string[] = [];
    for (const stored of await listStoredTenants(em)) {
      if (stored.secretsKeyId === box.currentKeyId) continue;
      let plain: { clientSecret: string; appKey: string };
      try {
        plain = { clientSecret: this.#open(stored, 'clientSecret'), appKey: this.#open(stored, 'appKey') };
      } catch (error) {
        if (!(error instanceof AppError)) throw error;
        unreadable.push(error.message);
        continue;
      }
      // Only if nobody changed it meanwhile; the next pass sees what they wrote.
      const done = await updateStoredTenant(em, stored.tenantId, this.#sealBoth(stored.tenantId, plain), {
        expectKeyId: stored.secretsKeyId,
        anyStatus: true,
      });
      if (done) changed += 1;
    }
    if (unreadable.length > 0) {
      throw new AppError(
        'tenant_unavailable',
        `re-sealed ${changed}; could not re-seal: ${unreadable.join('; ')}`,
      );
    }
    return changed;
  }

  #sealBoth(tenantId: string, plain: { clientSecret: string; appKey: string }) {
    const box = this.#requireBox();
    return {
      clientSecret: box.seal(plain.clientSecret, { tenantId, field: 'clientSecret' }),
      appKey: box.seal(plain.appKey, { tenantId, field: 'appKey' }),
      secretsKeyId: box.currentKeyId,
    };
  }

  #open(stored: StoredTenant, field: 'clientSecret' | 'appKey'): string {
    const box = this.#box;
    if (!box) {
      throw new AppError(
        'tenant_unavailable',
        `the credentials of tenant ${stored.tenantId} cannot be read: TENANT_SECRETS_KEYS is not set`,
      );
    }
    try {
      return box.open(stored[field], { tenantId: stored.tenantId, field });
    } catch (error) {
      if (error instanceof SecretUnreadableError) throw new AppError('tenant_unavailable', error.message);
      throw error;
    }
  }

  async #existing(tenantId: string): Promise<StoredTenant> {
    const stored = await findStoredTenant(this.#orm.em.fork(), tenantId);
    if (!stored) throw new AppError('not_found', `no tenant ${tenantId}`);
    return stored;
  }

  #requireBox(): SecretBox {
    if (this.#box) return this.#box;
    throw new AppError(
      'conflict',
      'this deployment cannot store tenant credentials: TENANT_SECRETS_KEYS is not set',
    );
  }

  #refuseEnvTenant(tenantId: string): void {
    if (this.#env.ST_TENANT_ID !== tenantId) return;
    throw new AppError(
      'conflict',
      `tenant ${tenantId} is the deployment's own (ST_TENANT_ID): change it through its ST_* settings`,
    );
  }

  #envConnection(tenantId: string): TenantConnection {
    const env = this.#env;
    const { ST_CLIENT_ID: clientId, ST_CLIENT_SECRET: clientSecret, ST_APP_KEY: appKey } = env;
    if (!clientId || !clientSecret || !appKey) {
      throw new AppError(
        'tenant_unavailable',
        `tenant ${tenantId} has no ServiceTitan credentials: set ST_CLIENT_ID, ST_CLIENT_SECRET and ST_APP_KEY`,
      );
    }
    return {
      tenantId,
      baseUrl: env.ST_API_BASE_URL,
      authUrl: env.ST_AUTH_URL,
      clientId,
      clientSecret,
      appKey,
      applicationGuid: env.ST_APPLICATION_GUID,
      version: 'environment',
    };
  }

  #envTenant(): Tenant | undefined {
    const env = this.#env;
    if (!env.ST_TENANT_ID) return undefined;
    return {
      tenantId: env.ST_TENANT_ID,
      name: env.ST_TENANT_NAME,
      status: 'active',
      source: 'environment',
      clientId: env.ST_CLIENT_ID ?? '',
      applicationGuid: env.ST_APPLICATION_GUID ?? null,
      apiBaseUrl: env.ST_API_BASE_URL,
      authUrl: env.ST_AUTH_URL,
      schedule: { fullCron: null, incrementalCron: null, timezone: null },
      createdAt: null,
      updatedAt: null,
      removedAt: null,
    };
  }
}
