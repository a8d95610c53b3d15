import type { TenantSchedule } from '@pricebook/contracts';
import { AppError } from '@pricebook/errors';
import { cronProblem } from '@pricebook/schedule';
import type { Context } from 'hono';
import { mayActFor } from '../auth/api-keys';
import type { AppEnv } from '../context';
import { type FieldError, fieldErrors } from '../errors/handle-error';

// What the `/api/tenants` routes share: which tenants a key may see, and the schedule check.

/** Whether the caller's key may act for `tenantId` (a key bound to tenants acts only for those). */
export function callerMayActFor(c: Context<AppEnv>, tenantId: string): boolean {
  const principal = c.get('principal');
  return principal !== undefined && mayActFor(principal, tenantId);
}

/**
 * Throws `not_found` for a tenant outside the key's binding, exactly as for one nobody added, so a
 * bound key learns nothing about the other tenants.
 */
export function requireMayActFor(c: Context<AppEnv>, tenantId: string): void {
  if (!callerMayActFor(c, tenantId)) throw new AppError('not_found', `no tenant ${tenantId}`);
}

/** Adding a tenant reaches beyond any binding: only a key bound to no tenant may. */
export function requireUnbound(c: Context<AppEnv>): void {
  if (c.get('principal')?.tenants === undefined) return;
  throw new AppError('forbidden', 'a key bound to tenants cannot add one: use a key bound to none', {
    details: { reason: 'tenant_binding' },
  });
}

/**
 * A 400 naming `schedule.<field>` when a cron or the time zone is one the scheduler would refuse
 * (its own check, `cronProblem`). A cron is checked in the zone it will run in: the one given, else
 * the tenant's current one, else UTC.
 */
export function checkSchedule(
  schedule: Partial<TenantSchedule> | undefined,
  currentTimezone: string | null = null,
): void {
  if (!schedule) return;
  const errors: FieldError[] = [];
  const timezone = schedule.timezone ?? currentTimezone ?? 'UTC';
  if (schedule.timezone && cronProblem('0 * * * *', schedule.timezone) !== undefined) {
    errors.push({ path: 'schedule.timezone', in: 'body', message: 'must be an IANA time zone, e.g. UTC' });
  } else {
    for (const field of ['fullCron', 'incrementalCron'] as const) {
      const pattern = schedule[field];
      const problem = pattern ? cronProblem(pattern, timezone) : undefined;
      if (problem) errors.push({ path: `schedule.${field}`, in: 'body', message: problem });
    }
  }
  if (errors.length > 0) throw fieldErrors(errors);
}
