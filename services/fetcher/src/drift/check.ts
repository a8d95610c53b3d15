import {
  type DriftEntityCounts,
  type DriftItem,
  type EntityType,
  entityDescriptor,
  entityTypes,
  type Message,
} from '@pricebook/contracts';
import type { Orm } from '@pricebook/db';
import { AppError } from '@pricebook/errors';
import type { Logger } from '@pricebook/logger';
import { EntityTally, readEntity, type StReader } from '../read-entity';
import { EntityComparison } from './compare';
import { addLocalRows, localData } from './local-rows';
import { claimReport, type DriftOutcome, finishReport } from './report-store';

export interface DriftCheckDeps {
  orm: Orm;
  log: Logger;
  /** Drifted items a report lists at most (DRIFT_MAX_ITEMS); every one is counted. */
  maxItems: number;
  /** Told about each finished check (metrics). */
  onChecked?: (tenant: string, outcome: DriftOutcome) => void;
}

/**
 * Counts the ServiceTitan requests a check makes: one per export page, and per look-up by id one
 * per 50 ids (one per id where the entity has no `ids` filter).
 */
function countingReader(st: StReader): { reader: StReader; requests: () => number } {
  let requests = 0;
  const reader: StReader = {
    list: (...args) => st.list(...args),
    export: (entity, options) => {
      const pages = st.export(entity, options);
      return (async function* counted() {
        for await (const page of pages) {
          requests += 1;
          yield page;
        }
      })();
    },
    listByIds: (entity, ids, options) => {
      requests += entityDescriptor(entity).capabilities.idsFilter ? Math.ceil(ids.length / 50) : ids.length;
      return st.listByIds(entity, ids, options);
    },
  };
  return { reader, requests: () => requests };
}

async function compareEntity(
  deps: DriftCheckDeps,
  st: StReader,
  tenant: string,
  entity: EntityType,
  signal: AbortSignal,
) {
  const comparison = new EntityComparison(entity);
  await addLocalRows(deps.orm.em.fork(), tenant, entity, comparison);
  // The whole feed from its beginning, recent changes included (repeats are dropped by the tally),
  // with ST's deletions told apart from deactivations by id, as an incremental sync reads it.
  const options = { full: false, includeRecentChanges: true, signal };
  for await (const batch of readEntity(st, entity, options, new EntityTally())) {
    for (const { record, deleted } of batch.records) comparison.addSt(record, deleted);
    for (const invalid of batch.invalid) if (invalid.id !== undefined) comparison.addInvalid(invalid.id);
  }
  return comparison.finish(await localData(deps.orm.em.fork(), tenant, entity, comparison.differing()));
}

/**
 * Runs one drift check of a tenant: per entity type, the local rows and the whole export feed
 * compared (see {@link EntityComparison}); the report row goes `running`, then `in_sync`,
 * `drifted` or `failed` (ServiceTitan could not be read). Publishes nothing and writes no
 * pricebook row. A check already finished (a redelivered command) is not run again.
 *
 * @example
 * await runDriftCheck(deps, st, command, ctx.stopping);
 */
export async function runDriftCheck(
  deps: DriftCheckDeps,
  st: StReader,
  command: Message<'drift.command'>,
  signal: AbortSignal,
): Promise<DriftOutcome | undefined> {
  const { tenant } = command;
  const { checkId } = command.data;
  const log = deps.log.child({ checkId, tenant });
  if (!(await claimReport(deps.orm, command))) {
    log.info('drift check already finished; repeat ignored');
    return undefined;
  }
  const counted = countingReader(st);
  const entities: DriftEntityCounts[] = [];
  const items: DriftItem[] = [];
  let outcome: DriftOutcome;
  try {
    for (const entity of entityTypes) {
      const drift = await compareEntity(deps, counted.reader, tenant, entity, signal);
      entities.push(drift.counts);
      items.push(...drift.items);
      log.debug({ ...drift.counts, categories: drift.counts.categories.length }, 'entity compared');
    }
    outcome = {
      status: items.length > 0 ? 'drifted' : 'in_sync',
      entities,
      items: items.slice(0, deps.maxItems),
      driftedCount: items.length,
      truncated: items.length > deps.maxItems,
      stRequests: counted.requests(),
      error: null,
    };
  } catch (err) {
    // Shutdown or our own bug: give the command back. What ST did is this check's outcome.
    if (signal.aborted || !(err instanceof AppError)) throw err;
    outcome = {
      status: 'failed',
      entities,
      items: [],
      driftedCount: 0,
      truncated: false,
      stRequests: counted.requests(),
      error: `${err.code}: ${err.message}`,
    };
  }
  await finishReport(deps.orm, tenant, checkId, outcome);
  deps.onChecked?.(tenant, outcome);
  log.info(
    {
      status: outcome.status,
      drifted: outcome.driftedCount,
      stRequests: outcome.stRequests,
      error: outcome.error ?? undefined,
    },
    'drift check finished',
  );
  return outcome;
}
