import { defineEntity, type InferEntity } from '@mikro-orm/core';
import { tenantStatuses } from '@pricebook/contracts';

const p = defineEntity.properties;

/**
 * A ServiceTitan tenant this deployment serves, added through `/api/tenants` (the environment's
 * `ST_*` tenant is not stored here). `clientSecret` and `appKey` hold ciphertext sealed by the
 * tenants package with the key named by `secretsKeyId`; nothing else in the engine reads them.
 * A removed tenant keeps its row (and its pricebook) until it is purged.
 */
export const TenantRow = defineEntity({
  name: 'TenantRow',
  tableName: 'pricebook_tenants',
  properties: {
    tenantId: p.bigint('string').primary().autoincrement(false),
    name: p.text(),
    status: p.enum([...tenantStatuses]).default('active'),
    clientId: p.text(),
    clientSecret: p.text(),
    appKey: p.text(),
    secretsKeyId: p.text(),
    applicationGuid: p.uuid().nullable(),
    apiBaseUrl: p.text(),
    authUrl: p.text(),
    /** Its own timed syncs; null takes the environment's. */
    fullCron: p.text().nullable(),
    incrementalCron: p.text().nullable(),
    timezone: p.text().nullable(),
    createdAt: p.datetime().defaultRaw('now()'),
    updatedAt: p.datetime().defaultRaw('now()'),
    removedAt: p.datetime().nullable(),
  },
});
export type TenantRow = InferEntity<typeof TenantRow>;
