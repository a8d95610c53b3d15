import { createApiClient, type PricebookClient } from './create-api-client';
import { unwrap } from './problem-error';
import { clientOptions, type EngineOptions } from './sync-engine';
import type { SchedulerStatus } from './types';

/**
 * The original specification's scheduler control, over the API's shared start/stop switch: every
 * scheduler replica follows it. `start` and `stop` need an admin key; each answers the
 * scheduler's state (`isRunning`, `schedules`, `timezone`, `nextRuns`).
 *
 * @example
 * const scheduler = new SyncScheduler({ url: 'http://127.0.0.1:3001', apiKey: process.env.PRICEBOOK_ADMIN_KEY });
 * await scheduler.stop(); // before maintenance
 * console.log((await scheduler.status()).isRunning); // false
 * await scheduler.start();
 */
export class SyncScheduler {
  readonly api: PricebookClient;

  constructor(options: EngineOptions) {
    this.api = createApiClient(clientOptions(options));
  }

  /**
   * Turns timed syncs on; idempotent.
   *
   * @example
   * const { nextRuns } = await scheduler.start();
   */
  async start(): Promise<SchedulerStatus> {
    return unwrap(await this.api.POST('/api/sync/pricebook/scheduler/start')).scheduler;
  }

  /**
   * Turns timed syncs off (syncs already running finish); idempotent.
   *
   * @example
   * await scheduler.stop();
   */
  async stop(): Promise<SchedulerStatus> {
    return unwrap(await this.api.POST('/api/sync/pricebook/scheduler/stop')).scheduler;
  }

  /**
   * Whether timed syncs run, their crons and next ticks.
   *
   * @example
   * const { isRunning, schedules } = await scheduler.status();
   */
  async status(): Promise<SchedulerStatus> {
    return unwrap(await this.api.GET('/api/sync/pricebook/status')).scheduler;
  }
}
