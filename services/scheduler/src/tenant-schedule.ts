import type { ScheduleName, Tenant } from '@pricebook/contracts';
import { cronOf, cronProblem, type ScheduleConfig } from '@pricebook/schedule';

/** A tenant's schedules as they run, or why they cannot. */
export type ResolvedSchedule =
  | { ok: true; config: ScheduleConfig }
  | {
      ok: false;
      /** What is wrong, naming the setting and its value. */
      reason: string;
      /** The schedules the reason is about (both when the zone is wrong). */
      schedules: ScheduleName[];
    };

const scheduleNames: readonly ScheduleName[] = ['full', 'incremental'];

/**
 * A tenant's crons and zone, each taken from the deployment's (`SYNC_FULL_CRON`,
 * `SYNC_INCREMENTAL_CRON`, `SYNC_TIMEZONE`) where the tenant sets none. The deployment's were
 * checked at boot; a tenant's come from the database, so they are checked here.
 *
 * @example
 * resolveSchedule(tenant, { fullCron: '0 2 * * *', incrementalCron: '0 *\/6 * * *', timezone: 'UTC' });
 * // { ok: true, config: { fullCron: '0 3 * * *', incrementalCron: '0 *\/6 * * *', timezone: 'America/Chicago' } }
 */
export function resolveSchedule(
  tenant: Pick<Tenant, 'schedule'>,
  defaults: ScheduleConfig,
): ResolvedSchedule {
  const own = tenant.schedule;
  const config: ScheduleConfig = {
    fullCron: own.fullCron ?? defaults.fullCron,
    incrementalCron: own.incrementalCron ?? defaults.incrementalCron,
    timezone: own.timezone ?? defaults.timezone,
  };
  const zoneProblem = cronProblem('0 * * * *', config.timezone);
  if (zoneProblem !== undefined) {
    return {
      ok: false,
      reason: `time zone "${config.timezone}" is not valid: ${zoneProblem}`,
      schedules: [...scheduleNames],
    };
  }
  const problems = scheduleNames.flatMap((schedule) => {
    const pattern = cronOf(config, schedule);
    const problem = cronProblem(pattern, config.timezone);
    return problem === undefined
      ? []
      : [{ schedule, text: `${schedule} cron "${pattern}" is not valid: ${problem}` }];
  });
  if (problems.length === 0) return { ok: true, config };
  return {
    ok: false,
    reason: problems.map((p) => p.text).join('; '),
    schedules: problems.map((p) => p.schedule),
  };
}

/** Whether two configs fire at the same instants (a change restarts the tenant's schedules). */
export const sameSchedule = (a: ScheduleConfig, b: ScheduleConfig) =>
  a.fullCron === b.fullCron && a.incrementalCron === b.incrementalCron && a.timezone === b.timezone;
