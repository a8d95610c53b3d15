import type { EventEmitter } from 'node:events';
import type { Logger } from '@pricebook/logger';

export interface StopOnSignalsOptions {
  log: Logger;
  /** Run in order on SIGTERM/SIGINT: stop intake, drain, close. */
  steps: readonly (() => Promise<unknown>)[];
  /** Resolves when the service's consumer ends; if it ends without a signal, the process exits 1. */
  stopped: Promise<unknown>;
  /** Where signals come from (tests pass their own emitter). */
  signals?: Pick<EventEmitter, 'once'>;
}

/**
 * The ordered shutdown every service's `main.ts` ends with: on the first SIGTERM or SIGINT, run
 * the steps in order once; a consumer that ends on its own is an error (exit code 1) and the
 * steps still run so connections close. Resolves once the steps have run.
 *
 * @example
 * stopOnSignals({ log, stopped: runner.stopped, steps: [() => runner.stop(), () => nc.drain(), () => orm.close()] });
 */
export function stopOnSignals(options: StopOnSignalsOptions): Promise<void> {
  const { log, steps } = options;
  let stopping: Promise<void> | undefined;
  const run = (reason: string, failed: boolean) => {
    stopping ??= (async () => {
      log.info({ reason }, 'service stopping');
      if (failed) process.exitCode = 1;
      try {
        for (const step of steps) await step();
        log.info('service stopped');
      } catch (err) {
        log.error({ err }, 'service did not stop cleanly');
        process.exitCode = 1;
      }
    })();
    return stopping;
  };
  const signals = options.signals ?? process;
  signals.once('SIGTERM', () => void run('SIGTERM', false));
  signals.once('SIGINT', () => void run('SIGINT', false));
  return options.stopped.then(() => {
    if (stopping) return stopping;
    log.error('consumer stopped unexpectedly; exiting');
    return run('consumer stopped', true);
  });
}
