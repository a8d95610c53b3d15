import type { JetStreamClient } from '@nats-io/jetstream';
import { type EntityType, entityTypes, hasCapability, type Message } from '@pricebook/contracts';
import { AppError } from '@pricebook/errors';
import type { Logger } from '@pricebook/logger';
import { PublishWindow, publish } from '@pricebook/messaging';
import { BacklogGate, type BacklogSettings } from './backlog';
import { fenceMessage, observedMessage, quarantineMessage, type SyncScope } from './messages';
import { EntityTally, type ReadBatch, readEntity, type StReader } from './read-entity';
import { fetchTargeted } from './targeted';

export interface FetchDeps {
  st: StReader;
  js: JetStreamClient;
  log: Logger;
  /**
   * Messages awaiting JetStream's acknowledgement at once: the window that bounds what the
   * fetcher holds in flight (and paces it to JetStream), across page boundaries.
   */
  publishConcurrency: number;
  /** Read export feeds with `includeRecentChanges=true`. */
  includeRecentChanges: boolean;
  /** Rows per page of a full sync's listing (default 5,000, ServiceTitan's largest). */
  listPageSize?: number | undefined;
  /** How far before a full sync's start its export position lies (default 15 minutes). */
  exportPositionMarginMs?: number | undefined;
  /** Each tenant's share of the pipeline stream (no limit without it). */
  backlog?: BacklogSettings | undefined;
  /** The fetcher's clock (tests). */
  now?: () => Date;
}

const defaultPositionMarginMs = 15 * 60_000;

/**
 * The export position a full sync leaves an entity: a date ServiceTitan's export feed accepts in
 * `from` (matched against `modifiedOn`), `marginMs` before the instant the sync started reading.
 * Everything modified before it was in the listing; everything since is in the feed from it.
 *
 * @example
 * exportPosition(new Date('2026-12-06T10:15:00Z'), 900_000); // '2026-12-06T10:00:00.000Z'
 */
export function exportPosition(startedReading: Date, marginMs: number): string {
  return new Date(startedReading.getTime() - marginMs).toISOString();
}

/** What the fence of one entity said. */
export interface EntityOutcome {
  entity: EntityType;
  published: number;
  /** Distinct record versions published (see {@link EntityTally.versionCount}). */
  versions?: number;
  errors: number;
  /** Rows ST sent, repeats included (not part of the fence; for logs and tests). */
  received: number;
  exportToken?: string;
  failed?: { code: string; message: string };
}

/**
 * Runs one sync command: for each requested entity, in the engine's order, publishes one
 * `record.observed` per valid ST record and one `quarantine` decision per invalid one, then the
 * entity's `sync.fence`. When ServiceTitan cannot be read (after the client's retries) the fence
 * says `failed` and the sync stops there. A JetStream failure or `signal` (shutdown) throws a
 * retryable error instead: the command comes back and is fetched again, and the deterministic
 * message ids make the repeats duplicates. Before each message it waits while the tenant's backlog
 * in the pipeline is at `deps.backlog.limit` (see {@link BacklogGate}).
 *
 * @example
 * const outcomes = await fetchSync(deps, command, ctx.stopping);
 */
export async function fetchSync(
  deps: FetchDeps,
  command: Message<'sync.command'>,
  signal: AbortSignal,
): Promise<EntityOutcome[]> {
  const { data } = command;
  const scope: SyncScope = { tenant: command.tenant, syncLogId: data.syncLogId, commandId: command.id };
  const requested = entityTypes.filter((e) => data.entityTypes.includes(e));
  const outcomes: EntityOutcome[] = [];
  if (data.direction === 'to_st') {
    // A push-only sync reads nothing from ST here: empty fences close each entity at once, and
    // the applier pushes the pending local edits once every entity is closed.
    for (const entity of requested) {
      const outcome: EntityOutcome = { entity, published: 0, errors: 0, received: 0 };
      await publish(deps.js, fenceMessage(scope, entity, outcome));
      outcomes.push(outcome);
    }
    deps.log.info({ entities: requested }, 'push-only sync: empty fences published');
    return outcomes;
  }
  deps.log.info({ entities: requested, fullSync: data.fullSync }, 'sync fetch started');
  const gate = new BacklogGate({
    js: deps.js,
    log: deps.log,
    tenant: scope.tenant,
    settings: deps.backlog,
    signal,
  });
  for (const entity of requested) {
    const from = data.fullSync ? undefined : data.exportTokens?.[entity];
    // A targeted sync (a drift report's re-sync) reads only its ids; an entity it names none of reads nothing.
    const outcome: EntityOutcome = data.stIds
      ? { entity, ...(await fetchTargeted(deps, scope, entity, data.stIds[entity] ?? [], { signal, gate })) }
      : await fetchEntity(deps, scope, entity, { full: data.fullSync, from, signal, gate });
    // The fence counts in the tenant's share too; the entity's window is drained by now.
    if (!(await gate.admit(async () => undefined))) throw stopped(undefined);
    await publish(deps.js, fenceMessage(scope, entity, outcome));
    outcomes.push(outcome);
    if (outcome.failed) {
      deps.log.warn({ ...outcome }, 'entity fetch failed; sync stopped');
      break;
    }
    deps.log.info({ ...outcome }, 'entity fetched');
  }
  deps.log.info({ entities: outcomes.length, failed: outcomes.some((o) => o.failed) }, 'sync fetch finished');
  return outcomes;
}

/**
 * Fails a sync before anything is read: the fence of its first requested entity says `failed`
 * with the reason (the applier fails the sync with it and releases its run locks), as when
 * ServiceTitan cannot be read. For a tenant the fetcher may not serve (unknown, paused, removed,
 * unreadable credentials); no other tenant's sync is touched.
 *
 * @example
 * await refuseSync(deps, command, { code: 'tenant_unavailable', message: 'tenant 1002 is paused' });
 */
export async function refuseSync(
  deps: Pick<FetchDeps, 'js' | 'log'>,
  command: Message<'sync.command'>,
  failed: { code: string; message: string },
): Promise<void> {
  const scope: SyncScope = {
    tenant: command.tenant,
    syncLogId: command.data.syncLogId,
    commandId: command.id,
  };
  const [first] = entityTypes.filter((e) => command.data.entityTypes.includes(e));
  if (!first) {
    deps.log.warn({ ...failed }, 'sync refused; it requests no entity to fence');
    return;
  }
  await publish(deps.js, fenceMessage(scope, first, { published: 0, errors: 0, failed }));
  deps.log.warn({ ...failed, entity: first }, 'sync refused: its fence says failed');
}

async function fetchEntity(
  deps: FetchDeps,
  scope: SyncScope,
  entity: EntityType,
  options: { full: boolean; from: string | undefined; signal: AbortSignal; gate: BacklogGate },
): Promise<EntityOutcome> {
  const tally = new EntityTally();
  const { signal, gate } = options;
  // Taken before the first page: a record changed while the listing pages is in the feed from here.
  const position =
    options.full && hasCapability(entity, 'exportFeed')
      ? exportPosition(
          (deps.now ?? (() => new Date()))(),
          deps.exportPositionMarginMs ?? defaultPositionMarginMs,
        )
      : undefined;
  const pages = readEntity(
    deps.st,
    entity,
    {
      full: options.full,
      from: options.from,
      signal,
      includeRecentChanges: deps.includeRecentChanges,
      pageSize: deps.listPageSize,
    },
    tally,
  );
  let exportToken = position;
  let pageNo = 0;
  let received = 0;
  // One window for the whole entity: the next page is read while the last one's acks come in.
  // Each message came from `createMessage`, which parsed it: publish sends it as it is.
  const window = new PublishWindow(deps.js, { limit: deps.publishConcurrency, validated: true });
  for (;;) {
    let next: IteratorResult<ReadBatch<EntityType>>;
    try {
      next = await pages.next();
    } catch (err) {
      if (signal.aborted) throw stopped(err);
      if (!(err instanceof AppError)) throw err;
      await window.drain();
      // Only what ST did is a failed sync; our own bugs are retried and end up dead-lettered.
      const failed = { code: err.code, message: err.message };
      return { entity, published: tally.published, errors: tally.errors, received, failed };
    }
    if (next.done) break;
    const batch = next.value;
    pageNo += 1;
    received += batch.received;
    for (const message of messagesOf(scope, entity, batch)) {
      if (!(await gate.admit(() => window.drain()))) throw stopped(undefined);
      await window.add(message);
    }
    if (batch.continueFrom) exportToken = batch.continueFrom;
    deps.log.debug(
      {
        entity,
        page: pageNo,
        received: batch.received,
        published: batch.records.length + batch.invalid.length,
        deleted: batch.records.filter((r) => r.deleted).length,
      },
      'page handed to the publish window',
    );
    if (signal.aborted) throw stopped(undefined);
  }
  // Everything of the entity is stored before its fence says how much there is.
  await window.drain();
  return {
    entity,
    published: tally.published,
    versions: tally.versionCount,
    errors: tally.errors,
    received,
    ...(exportToken ? { exportToken } : {}),
  };
}

function* messagesOf(
  scope: SyncScope,
  entity: EntityType,
  batch: ReadBatch<EntityType>,
): Generator<Message<'record.observed'> | Message<'record.decided'>> {
  for (const { record, deleted } of batch.records) yield observedMessage(scope, entity, record, deleted);
  for (const invalid of batch.invalid) yield quarantineMessage(scope, entity, invalid);
}

/** The service is stopping: give the command back so another replica fetches it again. */
function stopped(cause: unknown): AppError {
  return new AppError('unavailable', 'fetch interrupted by shutdown; the command will be fetched again', {
    retry: true,
    cause,
  });
}
