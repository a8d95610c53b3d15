import type { JetStreamManager } from '@nats-io/jetstream';
import { deploymentNames } from '@pricebook/contracts';
import { AppError } from '@pricebook/errors';

/**
 * The filter of every pipeline subject of one tenant: its observed records, decisions and fences
 * (`pricebook.pipe.<tenant>.…`), as the contracts' subject patterns lay them out.
 *
 * @example
 * tenantPipelineFilter('1001'); // 'pricebook.pipe.1001.>'
 */
export function tenantPipelineFilter(tenant: string): string {
  return `pricebook.pipe.${tenant}.>`;
}

/**
 * How many of one tenant's messages `PRICEBOOK_PIPELINE` holds now. It is a work-queue stream, so
 * an acked message has left it: this is the tenant's work not yet done by the comparator and the
 * applier. One stream info request filtered to the tenant's subjects (NATS 2.9+); throws
 * `AppError('unavailable', retry)` naming NATS when JetStream does not answer.
 *
 * @example
 * if ((await tenantPipelineBacklog(jsm, '1001')) >= 2_000) await later();
 */
export async function tenantPipelineBacklog(
  jsm: JetStreamManager,
  tenant: string,
  options: { deployment?: string } = {},
): Promise<number> {
  const names = deploymentNames(options.deployment);
  const stream = names.stream('PRICEBOOK_PIPELINE');
  try {
    const info = await jsm.streams.info(stream, {
      subjects_filter: names.subject(tenantPipelineFilter(tenant)),
    });
    let count = 0;
    for (const n of Object.values(info.state.subjects ?? {})) count += n;
    return count;
  } catch (err) {
    throw new AppError('unavailable', `the pipeline backlog of tenant ${tenant} could not be read`, {
      cause: err,
      dependency: 'nats',
      details: { stream, tenant },
    });
  }
}
