import { consumers } from '@pricebook/contracts';
import type { TenantsEnv } from '@pricebook/tenants';
import type { JobContext, RunningJob } from '../jobs';
import { runJobConsumer } from '../shared/job-consumer';
import type { StClients } from '../shared/tenant-st';
import { type PushSettings, pushDepsFromEnv } from './from-env';
import { createPushHandler } from './handler';

/**
 * The write-back job: pushes local edits to ServiceTitan (`applier-push`), one command at a time,
 * each with its tenant's client. The only job that writes to ServiceTitan.
 *
 * @example
 * const writeBack = startWriteBack({ orm, js, log, env, onPoison, clients });
 */
export function startWriteBack(
  deps: JobContext & {
    env: Partial<PushSettings> & TenantsEnv;
    clients: StClients;
  },
): RunningJob {
  const { orm, log, env } = deps;
  const runner = runJobConsumer(
    deps,
    consumers.pusher,
    createPushHandler(pushDepsFromEnv(orm, env, log, deps.clients)),
    { batchSize: 1 },
  );
  return { stop: () => runner.stop(), stopped: runner.stopped };
}
