import type { Logger } from '@pricebook/logger';
import { compileCron } from '@pricebook/schedule';
import type { Clock } from './clock';

export interface TickLoopOptions {
  pattern: string;
  timezone: string;
  clock: Clock;
  signal: AbortSignal;
  log: Logger;
  /** Called once per scheduled instant, with that instant (not the time it fired). Must not throw. */
  onTick: (tickAt: Date) => Promise<void>;
  /** A tick later than this (a stalled process, a suspended VM) is dropped, not fired late. */
  lateToleranceMs?: number;
}

/** Sleeps are capped so a wall clock that jumps (NTP, suspend) is noticed within a minute. */
const maxSleepMs = 60_000;

/**
 * Fires `onTick` at every instant of a cron pattern in a time zone until `signal` aborts. The
 * instants come from croner's `nextRun`, so every replica derives the same tick times, which is
 * what makes their tick message ids collide.
 *
 * @example
 * await runTickLoop({ pattern: '0 2 * * *', timezone: 'UTC', clock: systemClock, signal, log,
 *   onTick: (at) => publishTick('full', at) });
 */
export async function runTickLoop(options: TickLoopOptions): Promise<void> {
  const { clock, signal, log } = options;
  const cron = compileCron(options.pattern, options.timezone);
  const tolerance = options.lateToleranceMs ?? 60_000;
  let from = clock.now();
  while (!signal.aborted) {
    let tick = cron.nextRun(from);
    if (!tick) {
      log.warn({ pattern: options.pattern }, 'cron pattern never fires again');
      return;
    }
    const now = clock.now();
    if (now.getTime() - tick.getTime() > tolerance) {
      log.warn({ tickAt: tick.toISOString() }, 'ticks missed while the process was stalled');
      tick = cron.nextRun(now);
      if (!tick) return;
    }
    for (;;) {
      const waitMs = tick.getTime() - clock.now().getTime();
      if (waitMs <= 0 || signal.aborted) break;
      await clock.sleep(Math.min(waitMs, maxSleepMs), signal);
    }
    if (signal.aborted) return;
    await options.onTick(tick);
    from = tick;
  }
}
