import { randomUUID } from 'node:crypto';
import { defineEntity, type InferEntity } from '@mikro-orm/core';
import { type DriftEntityCounts, type DriftItem, DriftReportStatus } from '@pricebook/contracts';

const p = defineEntity.properties;

/**
 * One drift check of a tenant: ServiceTitan read through its export feeds and compared with the
 * local copy, read only. Queued by the API or the scheduler, filled in by the fetcher. `items`
 * holds the drifted items up to the deployment's cap (`truncated` says when more were found);
 * `drifted_count` counts them all. Old reports are kept; the latest finished one is the tenant's
 * drift state.
 */
export const DriftReportRow = defineEntity({
  name: 'DriftReportRow',
  tableName: 'pricebook_drift_reports',
  indexes: [{ name: 'pricebook_drift_reports_tenant_idx', properties: ['tenantId', 'createdAt'] }],
  properties: {
    id: p
      .uuid()
      .primary()
      .defaultRaw('gen_random_uuid()')
      .onCreate(() => randomUUID()),
    tenantId: p.bigint('string'),
    status: p.enum([...DriftReportStatus.options]).default('queued'),
    trigger: p.enum(['schedule', 'operator']),
    requestedBy: p.text().nullable(),
    createdAt: p.datetime().defaultRaw('now()'),
    startedAt: p.datetime().nullable(),
    checkedAt: p.datetime().nullable(),
    driftedCount: p.integer().default(0),
    truncated: p.boolean().default(false),
    stRequests: p.integer().default(0),
    entities: p.json<DriftEntityCounts[]>().defaultRaw(`'[]'`),
    items: p.json<DriftItem[]>().defaultRaw(`'[]'`),
    error: p.text().nullable(),
  },
});
export type DriftReportRow = InferEntity<typeof DriftReportRow>;
