import { z } from 'zod';

/** A ServiceTitan tenant id: int64, carried as a decimal string so it never loses digits. */
export const TenantId = z
  .union([z.string(), z.number().int()])
  .transform(String)
  .pipe(z.string().regex(/^[1-9][0-9]{0,18}$/, 'tenant id must be a positive integer'));
export type TenantId = z.infer<typeof TenantId>;

/**
 * A tenant's life: `active` syncs on its schedules; `paused` keeps its data and takes no sync;
 * `removed` has no schedules and no syncs, and its data stays readable until it is purged.
 */
export const tenantStatuses = ['active', 'paused', 'removed'] as const;
export const TenantStatus = z.enum(tenantStatuses);
export type TenantStatus = z.infer<typeof TenantStatus>;
