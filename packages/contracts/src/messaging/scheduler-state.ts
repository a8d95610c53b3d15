import { z } from 'zod';
import { Actor } from './common';
import { IsoDateTime } from './envelope';

/**
 * Where the scheduler's start/stop state lives: one NATS KV bucket shared by every scheduler and
 * API replica, one key per tenant, so a stop survives restarts and reaches every replica.
 *
 * @example
 * const kv = await new Kvm(nc).create(schedulerState.bucket);
 * await kv.get(schedulerState.enabledKey('1001'));
 */
export const schedulerState = {
  bucket: 'pricebook_scheduler',
  enabledKey: (tenant: string) => `${tenant}.enabled`,
} as const;

/** The value under `<tenant>.enabled` (JSON). */
export const SchedulerEnabledValue = z.object({
  enabled: z.boolean(),
  updatedAt: IsoDateTime,
  /** Who flipped it (`api:<key label>`, `env` for the initial value…). */
  updatedBy: Actor.optional(),
});
export type SchedulerEnabledValue = z.infer<typeof SchedulerEnabledValue>;
