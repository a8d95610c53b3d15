import type { TenantSchedule, TenantStatus } from '@pricebook/contracts';
import { recordDeadLetter } from '@pricebook/db';
import { seedConflict } from './conflicts';
import type { Harness } from './index';
import { seedMaterials, stMaterial } from './pricebook';

/**
 * Adds a tenant to the harness's directory as `POST /api/tenants` would (credentials sealed with
 * the harness's `TENANT_SECRETS_KEYS`), then gives it `status`. Every app of the harness sees it.
 *
 * @example
 * await addTenant(h, '1002');
 * await addTenant(h, '1003', { status: 'paused' });
 */
export async function addTenant(
  h: Harness,
  tenantId: string,
  options: { status?: TenantStatus; schedule?: Partial<TenantSchedule> } = {},
): Promise<void> {
  const directory = h.directory();
  await directory.create({
    tenantId,
    name: `Contractor ${tenantId}`,
    clientId: `client-${tenantId}`,
    clientSecret: `secret-${tenantId}-0123456789`,
    appKey: `app-key-${tenantId}-0123456789`,
    apiBaseUrl: 'http://127.0.0.1:9/st',
    authUrl: 'http://127.0.0.1:9/auth',
    ...(options.schedule ? { schedule: options.schedule } : {}),
  });
  if (options.status && options.status !== 'active') await directory.setStatus(tenantId, options.status);
}

/** The ids of what {@link seedTenantRows} made. */
export interface TenantRows {
  recordId: string;
  conflictId: string;
  rejectionId: string;
}

/**
 * One material, one conflict (on material `stId + 1`) and one rejected inbound message of
 * `tenant`: what the tenant tests read and change. `streamSeq` must differ between calls.
 *
 * @example
 * const { conflictId } = await seedTenantRows(h, '1002', 20, 1);
 */
export async function seedTenantRows(
  h: Harness,
  tenant: string,
  stId: number,
  streamSeq: number,
): Promise<TenantRows> {
  const [recordId = ''] = await seedMaterials(h, tenant, [stMaterial(stId)]);
  const { conflictId } = await seedConflict(h, tenant, stId + 1);
  await recordDeadLetter(h.orm.em.fork(), {
    tenantId: tenant,
    stream: 'PRICEBOOK_INBOUND',
    consumer: 'applier-inbound',
    subject: `pricebook.inbound.${tenant}.materials.upsert.v1`,
    streamSeq,
    deliveryCount: 1,
    payload: '{"id":"x"}',
    reason: 'rejected: validation_failed',
  });
  const [rejection] = await h.sql<{ id: string }>(
    `select id from pricebook_dead_letters where tenant_id = ?`,
    [tenant],
  );
  return { recordId, conflictId, rejectionId: String(rejection?.id) };
}
