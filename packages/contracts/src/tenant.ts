import { z } from 'zod';

/** A ServiceTitan tenant id: int64, carried as a decimal string so it never loses digits. */
export const TenantId = z
  .union([z.string(), z.number().int()])
  .transform(String)
  .pipe(z.string().regex(/^[1-9][0-9]{0,18}$/, 'tenant id must be a positive integer'));
export type TenantId = z.infer<typeof TenantId>;
