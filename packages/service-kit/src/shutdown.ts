import type { EventEmitter } from 'node:events';
import type { Logger } from '@pricebook/logger';

export interface StopOnSignalsOptions {
  log: Logger;
  /** Names the `<service> stopping` / `<service> stopped` lines (default `service`). */
  service?: string;
  /** Run in order on SIGTERM/SIGINT: stop intake, drain, close. */
  steps: readonly (() => Promise<unknown>)[];
  /**
   * Resolves when a part of the service ends (a consumer loop, the NATS connection, an HTTP
   * server); if it ends without a signal, the process exits 1. A string it resolves with names
   * what ended, for the log.
   */
  stopped: Promise<unknown>;
  /** Where signals come from (tests pass their own emitter). */
  signals?: Pick<EventEmitter, 'once'>;
  /** The events that ask for a stop (default SIGTERM and SIGINT; the kit adds `disconnect` under a parent). */
  events?: readonly string[];
  /** Past this long after the stop began, the process exits 1 whatever is still running. */
  graceMs?: number;
}

/**
 * The ordered shutdown every service ends with: on the first SIGTERM or SIGINT, run the steps in
 * order once; a part that ends on its own is an error (exit code 1) and the steps still run so
 * connections close. Resolves once the steps have run.
 *
 * @example
 * stopOnSignals({ log, stopped: runner.stopped, steps: [() => runner.stop(), () => nc.drain(), () => orm.close()] });
 */
export function stopOnSignals(options: StopOnSignalsOptions): Promise<void> {
  const { log, steps } = options;
  const service = options.service ?? 'service';
  let stopping: Promise<void> | undefined;
  const run = (reason: string, failed: boolean) => {
    stopping ??= (async () => {
      log.info({ reason }, `${service} stopping`);
      if (failed) process.exitCode = 1;
      if (options.graceMs !== undefined) {
        // A step that hangs (a server that never answers a drain) must not keep a dead process up.
        setTimeout(() => {
          log.error({ graceMs: options.graceMs }, `${service} did not stop in time; exiting`);
          process.exit(1);
        }, options.graceMs).unref();
      }
      try {
        for (const step of steps) await step();
        log.info(`${service} stopped`);
      } catch (err) {
        log.error({ err }, `${service} did not stop cleanly`);
        process.exitCode = 1;
      }
    })();
    return stopping;
  };
  const signals = options.signals ?? process;
  for (const event of options.events ?? ['SIGTERM', 'SIGINT']) {
    signals.once(event, () => void run(event, false));
  }
  return options.stopped.then((what: unknown) => {
    if (stopping) return stopping;
    const part = typeof what === 'string' ? what : 'a part';
    log.error({ part }, 'part stopped unexpectedly; exiting');
    return run(`${part} stopped`, true);
  });
}
