import type { Tenant, TenantSchedule, TenantStatus } from '@pricebook/contracts';
import type { EntityManager } from '@pricebook/db';

/** A `pricebook_tenants` row as the store reads it; the two secrets are still sealed. */
export interface StoredTenant {
  tenantId: string;
  name: string;
  status: TenantStatus;
  clientId: string;
  clientSecret: string;
  appKey: string;
  secretsKeyId: string;
  applicationGuid: string | null;
  apiBaseUrl: string;
  authUrl: string;
  schedule: TenantSchedule;
  createdAt: Date;
  updatedAt: Date;
  removedAt: Date | null;
}

interface Row {
  tenant_id: string;
  name: string;
  status: TenantStatus;
  client_id: string;
  client_secret: string;
  app_key: string;
  secrets_key_id: string;
  application_guid: string | null;
  api_base_url: string;
  auth_url: string;
  full_cron: string | null;
  incremental_cron: string | null;
  timezone: string | null;
  created_at: Date;
  updated_at: Date;
  removed_at: Date | null;
}

const columns = `tenant_id::text as tenant_id, name, status, client_id, client_secret, app_key, secrets_key_id,
  application_guid, api_base_url, auth_url, full_cron, incremental_cron, timezone, created_at, updated_at, removed_at`;

const fromRow = (r: Row): StoredTenant => ({
  tenantId: r.tenant_id,
  name: r.name,
  status: r.status,
  clientId: r.client_id,
  clientSecret: r.client_secret,
  appKey: r.app_key,
  secretsKeyId: r.secrets_key_id,
  applicationGuid: r.application_guid,
  apiBaseUrl: r.api_base_url,
  authUrl: r.auth_url,
  schedule: { fullCron: r.full_cron, incrementalCron: r.incremental_cron, timezone: r.timezone },
  createdAt: new Date(r.created_at),
  updatedAt: new Date(r.updated_at),
  removedAt: r.removed_at ? new Date(r.removed_at) : null,
});

/** Every stored tenant, removed ones included, by tenant id. */
export async function listStoredTenants(em: EntityManager): Promise<StoredTenant[]> {
  const rows = await em.execute<Row[]>(`select ${columns} from pricebook_tenants order by tenant_id`);
  return rows.map(fromRow);
}

export async function findStoredTenant(
  em: EntityManager,
  tenantId: string,
): Promise<StoredTenant | undefined> {
  const [row] = await em.execute<Row[]>(`select ${columns} from pricebook_tenants where tenant_id = ?`, [
    tenantId,
  ]);
  return row ? fromRow(row) : undefined;
}

/** The columns a write sets; `undefined` leaves a column as it is. */
export interface TenantWrite {
  name?: string;
  status?: TenantStatus;
  clientId?: string;
  /** Sealed. */
  clientSecret?: string;
  /** Sealed. */
  appKey?: string;
  secretsKeyId?: string;
  applicationGuid?: string | null;
  apiBaseUrl?: string;
  authUrl?: string;
  schedule?: Partial<TenantSchedule>;
}

const columnOf: Record<Exclude<keyof TenantWrite, 'schedule'>, string> = {
  name: 'name',
  status: 'status',
  clientId: 'client_id',
  clientSecret: 'client_secret',
  appKey: 'app_key',
  secretsKeyId: 'secrets_key_id',
  applicationGuid: 'application_guid',
  apiBaseUrl: 'api_base_url',
  authUrl: 'auth_url',
};

const scheduleColumnOf: Record<keyof TenantSchedule, string> = {
  fullCron: 'full_cron',
  incrementalCron: 'incremental_cron',
  timezone: 'timezone',
};

function assignments(write: TenantWrite): Array<[string, unknown]> {
  const pairs: Array<[string, unknown]> = [];
  for (const [field, column] of Object.entries(columnOf)) {
    const value = write[field as keyof typeof columnOf];
    if (value !== undefined) pairs.push([column, value]);
  }
  for (const [field, column] of Object.entries(scheduleColumnOf)) {
    const value = write.schedule?.[field as keyof TenantSchedule];
    if (value !== undefined) pairs.push([column, value]);
  }
  return pairs;
}

/**
 * Inserts a tenant, or brings a removed one back with the new values (its pricebook was kept).
 * Returns undefined when the tenant exists and is not removed.
 */
export async function insertStoredTenant(
  em: EntityManager,
  tenantId: string,
  write: Required<Omit<TenantWrite, 'status' | 'schedule'>> & Pick<TenantWrite, 'schedule'>,
): Promise<StoredTenant | undefined> {
  const pairs: Array<[string, unknown]> = [
    ['tenant_id', tenantId],
    ...assignments({ ...write, status: 'active' }),
  ];
  const names = pairs.map(([c]) => c);
  const scheduleColumns: readonly string[] = Object.values(scheduleColumnOf);
  // Bringing a removed tenant back takes the new values, and no schedule of its own unless given.
  const updates = [
    ...names
      .filter((c) => c !== 'tenant_id' && !scheduleColumns.includes(c))
      .map((c) => `${c} = excluded.${c}`),
    ...scheduleColumns.map((c) => (names.includes(c) ? `${c} = excluded.${c}` : `${c} = null`)),
  ];
  const rows = await em.execute<Row[]>(
    `insert into pricebook_tenants (${names.join(', ')}) values (${names.map(() => '?').join(', ')})
     on conflict (tenant_id) do update set ${updates.join(', ')},
       created_at = now(), updated_at = now(), removed_at = null
     where pricebook_tenants.status = 'removed'
     returning ${columns}`,
    pairs.map(([, v]) => v),
  );
  const [row] = rows;
  return row ? fromRow(row) : undefined;
}

/**
 * Changes the given columns of a tenant that is not removed (or, for `status`, any tenant).
 * `removed_at` follows the status. Returns undefined when no such row could be changed.
 */
export async function updateStoredTenant(
  em: EntityManager,
  tenantId: string,
  write: TenantWrite,
  /** `expectKeyId`: only while its secrets are still sealed with this key; `anyStatus`: removed ones too. */
  options: { expectKeyId?: string; anyStatus?: boolean } = {},
): Promise<StoredTenant | undefined> {
  const pairs = assignments(write);
  const removal =
    write.status === undefined
      ? ''
      : write.status === 'removed'
        ? ', removed_at = coalesce(removed_at, now())'
        : ', removed_at = null';
  const guard = write.status === undefined && !options.anyStatus ? ` and status <> 'removed'` : '';
  const keyGuard = options.expectKeyId === undefined ? '' : ' and secrets_key_id = ?';
  const rows = await em.execute<Row[]>(
    `update pricebook_tenants set ${pairs.map(([c]) => `${c} = ?`).join(', ')}${pairs.length ? ', ' : ''}updated_at = now()${removal}
     where tenant_id = ?${guard}${keyGuard}
     returning ${columns}`,
    [
      ...pairs.map(([, v]) => v),
      tenantId,
      ...(options.expectKeyId === undefined ? [] : [options.expectKeyId]),
    ],
  );
  const [row] = rows;
  return row ? fromRow(row) : undefined;
}

/** The public view of a stored tenant. */
export function storedTenantView(t: StoredTenant): Tenant {
  return {
    tenantId: t.tenantId,
    name: t.name,
    status: t.status,
    source: 'database',
    clientId: t.clientId,
    applicationGuid: t.applicationGuid,
    apiBaseUrl: t.apiBaseUrl,
    authUrl: t.authUrl,
    schedule: t.schedule,
    createdAt: t.createdAt.toISOString(),
    updatedAt: t.updatedAt.toISOString(),
    removedAt: t.removedAt?.toISOString() ?? null,
  };
}
