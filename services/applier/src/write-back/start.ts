import { consumers } from '@pricebook/contracts';
import type { StClient } from '@pricebook/st-client';
import type { ApplierEnv } from '../env';
import type { JobContext, RunningJob } from '../jobs';
import { runJobConsumer } from '../shared/job-consumer';
import { type PushSettings, pushDepsFromEnv } from './from-env';
import { createPushHandler } from './handler';

/**
 * The write-back job: pushes local edits to ServiceTitan (`applier-push`), one command at a time.
 * The only job that needs ServiceTitan credentials.
 *
 * @example
 * const writeBack = startWriteBack({ orm, js, log, env, onPoison, st });
 */
export function startWriteBack(
  deps: JobContext & {
    env: Partial<PushSettings> & Pick<ApplierEnv, 'ST_TENANT_ID'>;
    st: StClient | undefined;
  },
): RunningJob {
  const { orm, log, env } = deps;
  const runner = runJobConsumer(
    deps,
    consumers.pusher,
    createPushHandler(pushDepsFromEnv(orm, env, log, deps.st)),
    { batchSize: 1 },
  );
  return { stop: () => runner.stop(), stopped: runner.stopped };
}
