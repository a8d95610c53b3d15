import type { ScheduleName } from '@pricebook/contracts';
import { Cron } from 'croner';

/** The two crons and the zone they are read in. */
export interface ScheduleConfig {
  fullCron: string;
  incrementalCron: string;
  /** An IANA zone (`UTC`, `America/Chicago`); `0 2 * * *` means 2 AM there, across DST changes. */
  timezone: string;
}

/** A cron pattern compiled for its zone; never started (the scheduler runs its own timer). */
export function compileCron(pattern: string, timezone: string): Cron {
  return new Cron(pattern, { timezone, paused: true });
}

/**
 * The first run of `pattern` strictly after `from`, in `timezone`; `undefined` when the pattern
 * never fires again. Throws (croner's `TypeError`) on a bad pattern or zone.
 *
 * @example
 * nextRunOf('0 2 * * *', 'UTC', new Date('2025-12-06T03:00:00Z')); // 2025-12-07T02:00:00.000Z
 */
export function nextRunOf(pattern: string, timezone: string, from: Date = new Date()): Date | undefined {
  return compileCron(pattern, timezone).nextRun(from) ?? undefined;
}

/**
 * Why `pattern`/`timezone` are unusable, or `undefined` when croner accepts them (for env checks).
 *
 * @example
 * cronProblem('61 * * * *', 'UTC'); // 'CronPattern: …'
 */
export function cronProblem(pattern: string, timezone: string): string | undefined {
  try {
    compileCron(pattern, timezone).nextRun();
    return undefined;
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  }
}

/** The cron of a schedule. */
export const cronOf = (config: ScheduleConfig, schedule: ScheduleName) =>
  schedule === 'full' ? config.fullCron : config.incrementalCron;

/** The status block every API replica reports, computed the same way from the same state. */
export interface SchedulerStatus {
  isRunning: boolean;
  schedules: { fullSync: string; incrementalSync: string };
  timezone: string;
  /** The next tick of each schedule (ISO), `null` while stopped or when a pattern never fires again. */
  nextRuns: { fullSync: string | null; incrementalSync: string | null };
}

/**
 * The spec's `scheduler` status block plus the zone and the next ticks.
 *
 * @example
 * schedulerStatus(config, true, new Date());
 * // { isRunning: true, schedules: {…}, timezone: 'UTC', nextRuns: { fullSync: '…', incrementalSync: '…' } }
 */
export function schedulerStatus(
  config: ScheduleConfig,
  isRunning: boolean,
  now = new Date(),
): SchedulerStatus {
  const next = (pattern: string) =>
    isRunning ? (nextRunOf(pattern, config.timezone, now)?.toISOString() ?? null) : null;
  return {
    isRunning,
    schedules: { fullSync: config.fullCron, incrementalSync: config.incrementalCron },
    timezone: config.timezone,
    nextRuns: { fullSync: next(config.fullCron), incrementalSync: next(config.incrementalCron) },
  };
}
