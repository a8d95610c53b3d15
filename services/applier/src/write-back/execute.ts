import {
  type EntityType,
  type EntityTypeWith,
  entityDescriptor,
  hasCapability,
  stContentHash,
} from '@pricebook/contracts';
import { AppError } from '@pricebook/errors';
import type { Logger } from '@pricebook/logger';
import { changedFields, isAmbiguousWrite, type StClient, stRecordToBulkUpdate } from '@pricebook/st-client';
import {
  type PendingRow,
  type PlanOptions,
  type PushAction,
  type PushConflict,
  type PushPlan,
  planPush,
  type SettledConflict,
} from './plan';
import {
  create,
  createBody,
  createdButUnreadable,
  type FoundItem,
  findOurs,
  findUntagged,
  isRejection,
  type PlannedRequest,
  patch,
  type UnreadableItem,
} from './st-calls';

type Json = Record<string, unknown>;

/** What happened to one pending row. */
export type PushResult =
  | {
      kind: 'written';
      row: PendingRow;
      action: PushAction;
      stId: number;
      /** ST's record now (its answer, or its current record when nothing had to be sent). */
      answer: Json;
      /** ST had moved since the row's base: the answer carries ST's changes too. */
      moved: boolean;
      request: PlannedRequest | null;
      /** A conflict the sync's `keep_st`/`keep_local` settled by this write. */
      settles?: SettledConflict;
    }
  | { kind: 'conflict'; row: PendingRow; stId: number; conflict: PushConflict; settle: 'keep_st' | null }
  | { kind: 'rejected'; row: PendingRow; reason: string; request: PlannedRequest | null }
  /**
   * ST holds the row's item but its record fails our schema: nothing is sent or taken, the row
   * stays pending with the reason. `link`: the row learns the item's ST id (a create ST made), so
   * the next push reads that item instead of creating another.
   */
  | { kind: 'unreadable'; row: PendingRow; item: UnreadableItem; link: boolean }
  | { kind: 'planned'; row: PendingRow; action: PushAction | 'conflict'; request: PlannedRequest | null }
  | { kind: 'synced'; row: PendingRow; why: 'never_pushed' | 'gone_in_st' };

export interface PushBatchContext extends PlanOptions {
  st: StClient;
  applicationGuid: string;
  dryRun: boolean;
  /** Updates of one SKU entity from which one bulk `PATCH /pricebook` is used. */
  bulkMin: number;
  log: Logger;
  /**
   * ST ids already linked to a local row of the entity: a create of an entity without
   * externalData (categories) never adopts those.
   */
  linkedStIds: () => Promise<ReadonlySet<number>>;
  /** Test hook: runs right after ST accepted a create, before anything is recorded locally. */
  afterCreate?: (recordId: string, stId: number) => Promise<void>;
}

/** The outcome of a batch: results so far, and the retryable error that stopped it, if any. */
export interface PushBatchOutcome {
  results: PushResult[];
  stoppedBy?: unknown;
}

const pathOf = (entity: EntityType, id?: number) => {
  const path = entityDescriptor(entity).st.path;
  return id === undefined ? `/${path}` : `/${path}/${id}`;
};

/** ST's current records of the rows, and the items ST holds whose records fail our schema. */
interface CurrentRead {
  records: Map<number, Json>;
  unreadable: Map<number, UnreadableItem>;
}

async function readCurrent(ctx: PushBatchContext, rows: readonly PendingRow[]): Promise<CurrentRead> {
  const ids = rows.flatMap((r) => (r.stId === null ? [] : [r.stId]));
  const out: CurrentRead = { records: new Map(), unreadable: new Map() };
  if (ids.length === 0) return out;
  const read = await ctx.st.listByIds(ctx.entity, ids);
  for (const record of read.records as Json[]) out.records.set(Number(record.id), record);
  // An item ST answered for but our schema refuses is not "gone": planning it as absent would
  // mark a local delete synced unsent, or open a conflict claiming ST deleted it.
  for (const bad of read.invalid) {
    if (bad.id !== undefined) out.unreadable.set(bad.id, { stId: bad.id, reason: bad.reason, raw: bad.raw });
  }
  return out;
}

/** ST's items of entities without externalData, read whole for matching (categories: a few hundred). */
const untaggedCache = new Map<EntityType, { at: number; list: Json[] }>();

async function untaggedNow(st: StClient, entity: EntityType, fresh: boolean): Promise<Json[]> {
  const cached = untaggedCache.get(entity);
  if (!fresh && cached && Date.now() - cached.at < 5_000) return cached.list;
  const list: Json[] = [];
  for await (const page of st.list(entity)) list.push(...(page.records as Json[]));
  untaggedCache.set(entity, { at: Date.now(), list });
  return list;
}

/** An earlier create of this row that ST already holds, if any. */
async function existing(
  ctx: PushBatchContext,
  row: PendingRow,
  fresh: boolean,
): Promise<FoundItem | undefined> {
  const { entity } = ctx;
  if (!hasCapability(entity, 'externalData')) {
    const items = await untaggedNow(ctx.st, entity, fresh);
    const found = findUntagged(entity, items, row.data, await ctx.linkedStIds());
    return found && { kind: 'record', record: found };
  }
  return (await findOurs(ctx.st, entity, ctx.applicationGuid, [row.id])).get(row.id);
}

/** The item ST made for this row fails our schema: record its id (not in a dry run), send nothing. */
function unreadableCreate(ctx: PushBatchContext, row: PendingRow, item: UnreadableItem): PushResult {
  ctx.log.warn(
    { entity: ctx.entity, recordId: row.id, stId: item.stId, reason: item.reason },
    'ServiceTitan holds the created item but its record fails our schema',
  );
  return { kind: 'unreadable', row, item, link: !ctx.dryRun };
}

async function adoptAndCatchUp(
  ctx: PushBatchContext,
  row: PendingRow,
  found: FoundItem,
): Promise<PushResult> {
  if (found.kind === 'unreadable') return unreadableCreate(ctx, row, found.item);
  const stId = Number(found.record.id);
  const body = changedFields(ctx.entity, found.record, row.data) as Json;
  const request =
    Object.keys(body).length > 0 ? { method: 'PATCH' as const, path: pathOf(ctx.entity, stId), body } : null;
  if (ctx.dryRun) return { kind: 'planned', row, action: 'create', request };
  const answer = request ? await patch(ctx.st, ctx.entity, stId, body) : found.record;
  ctx.log.info(
    { entity: ctx.entity, recordId: row.id, stId },
    'earlier create found in ServiceTitan; adopted',
  );
  return { kind: 'written', row, action: 'create', stId, answer, moved: false, request };
}

async function pushCreate(ctx: PushBatchContext, row: PendingRow): Promise<PushResult> {
  const found = await existing(ctx, row, false);
  if (found) return adoptAndCatchUp(ctx, row, found);
  const body = createBody(ctx.entity, row.data, row.id, ctx.applicationGuid);
  const request: PlannedRequest = { method: 'POST', path: pathOf(ctx.entity), body };
  if (ctx.dryRun) return { kind: 'planned', row, action: 'create', request };
  let answer: Json;
  try {
    answer = await create(ctx.st, ctx.entity, body);
  } catch (error) {
    // ST made the item but its answer fails our schema: the id is known, the create is done.
    const made = createdButUnreadable(error);
    if (made) return unreadableCreate(ctx, row, made);
    if (!isAmbiguousWrite(error)) throw error;
    // The create may have happened: only a read-back can say; never a blind second POST.
    const after = await existing(ctx, row, true);
    if (!after) throw error;
    return adoptAndCatchUp(ctx, row, after);
  }
  await ctx.afterCreate?.(row.id, Number(answer.id));
  return { kind: 'written', row, action: 'create', stId: Number(answer.id), answer, moved: false, request };
}

type Patchable = {
  row: PendingRow;
  stId: number;
  action: PushAction;
  body: Json;
  st: Json;
  settles?: SettledConflict;
};

async function singlePatch(ctx: PushBatchContext, p: Patchable): Promise<PushResult> {
  const request: PlannedRequest = { method: 'PATCH', path: pathOf(ctx.entity, p.stId), body: p.body };
  if (ctx.dryRun) return { kind: 'planned', row: p.row, action: p.action, request };
  return written(p, await patch(ctx.st, ctx.entity, p.stId, p.body), request);
}

/** A row ST now holds as planned (patched alone or in bulk, or adopted as it is): `answer` is ST's record. */
function written(
  p: Pick<Patchable, 'row' | 'stId' | 'action' | 'settles'>,
  answer: Json,
  request: PlannedRequest | null,
): PushResult {
  return {
    kind: 'written',
    row: p.row,
    action: p.action,
    stId: p.stId,
    answer,
    moved: p.action === 'merge' || p.settles !== undefined,
    request,
    ...(p.settles ? { settles: p.settles } : {}),
  };
}

/** ST's record moved between two reads: any save stamps `modifiedOn`; the hash catches the rest. */
function movedSince(entity: EntityType, planned: Json, now: Json): boolean {
  return (
    planned.modifiedOn !== now.modifiedOn || stContentHash(entity, planned) !== stContentHash(entity, now)
  );
}

/**
 * One bulk `PATCH /pricebook` (full objects, as the spec requires) and a read-back of the items,
 * instead of one PATCH each. A bulk item is a whole record, so it is built from a read taken
 * right before the write: an item whose ST record moved since the batch was planned is planned
 * again against that read and sent as a single PATCH of its own fields (or becomes a conflict),
 * never overwritten with the older read. When ST refuses the batch, single PATCHes are sent
 * instead: they say which item ST objects to.
 */
async function bulkPatch(
  ctx: PushBatchContext,
  entity: EntityTypeWith<'bulk'>,
  items: readonly Patchable[],
): Promise<PushResult[]> {
  const fresh = await readCurrent(
    ctx,
    items.map((p) => p.row),
  );
  const steady: Patchable[] = [];
  const results: PushResult[] = [];
  const replanned: Patchable[] = [];
  for (const p of items) {
    const unreadable = fresh.unreadable.get(p.stId);
    if (unreadable) {
      results.push({ kind: 'unreadable', row: p.row, item: unreadable, link: false });
      continue;
    }
    const now = fresh.records.get(p.stId);
    if (now && !movedSince(entity, p.st, now)) steady.push({ ...p, st: now });
    else {
      ctx.log.info(
        { entity, recordId: p.row.id, stId: p.stId },
        'ServiceTitan moved before the bulk write; planned again',
      );
      const result = await carryOut(ctx, p.row, planPush(ctx, p.row, now), replanned);
      if (result) results.push(result);
    }
  }
  if (steady.length > 0)
    results.push(...((await bulkWrite(ctx, entity, steady)) ?? (await singlePatches(ctx, steady))));
  results.push(...(await singlePatches(ctx, replanned)));
  return results;
}

async function bulkWrite(
  ctx: PushBatchContext,
  entity: EntityTypeWith<'bulk'>,
  items: readonly Patchable[],
): Promise<PushResult[] | undefined> {
  const body = items.map((p) => stRecordToBulkUpdate(entity, { ...p.st, ...p.body, id: p.stId }));
  try {
    await ctx.st.bulkUpdate({ [entity]: body });
  } catch (error) {
    if (!isRejection(error)) throw error;
    ctx.log.warn(
      { entity, items: items.length, err: error.message },
      'bulk update refused; sending single patches',
    );
    return undefined;
  }
  const now = await ctx.st.listByIds(
    entity,
    items.map((p) => p.stId),
  );
  const byId = new Map((now.records as Json[]).map((r) => [Number(r.id), r]));
  return items.map((p) =>
    written(p, byId.get(p.stId) ?? { ...p.st, ...p.body }, {
      method: 'PATCH',
      path: pathOf(ctx.entity, p.stId),
      body: p.body,
    }),
  );
}

async function singlePatches(ctx: PushBatchContext, items: readonly Patchable[]): Promise<PushResult[]> {
  const results: PushResult[] = [];
  for (const p of items) {
    const request: PlannedRequest = { method: 'PATCH', path: pathOf(ctx.entity, p.stId), body: p.body };
    results.push(await guarded(p.row, request, () => singlePatch(ctx, p)));
  }
  return results;
}

/** Runs `fn`; a rejection becomes a `rejected` result, anything else is thrown. */
async function guarded(
  row: PendingRow,
  request: PlannedRequest | null,
  fn: () => Promise<PushResult>,
): Promise<PushResult> {
  try {
    return await fn();
  } catch (error) {
    if (isRejection(error)) return { kind: 'rejected', row, reason: error.message, request };
    throw error;
  }
}

/**
 * Carries out one row's plan: its result, or (a PATCH to send) the item added to `patches` for
 * the caller to send, alone or in bulk.
 */
async function carryOut(
  ctx: PushBatchContext,
  row: PendingRow,
  plan: PushPlan,
  patches: Patchable[],
): Promise<PushResult | undefined> {
  const settles = (s: SettledConflict | undefined) => (s ? { settles: s } : {});
  switch (plan.kind) {
    case 'create':
      return guarded(row, null, () => pushCreate(ctx, row));
    case 'patch':
      patches.push({
        row,
        stId: plan.stId,
        action: plan.action,
        body: plan.patch,
        st: plan.st,
        ...settles(plan.settles),
      });
      return undefined;
    case 'adopt':
      return ctx.dryRun
        ? { kind: 'planned', row, action: plan.action, request: null }
        : written({ row, stId: plan.stId, action: plan.action, ...settles(plan.settles) }, plan.st, null);
    case 'hard_delete': {
      const request: PlannedRequest = { method: 'DELETE', path: pathOf(ctx.entity, plan.stId) };
      if (ctx.dryRun) return { kind: 'planned', row, action: 'delete', request };
      return guarded(row, request, async () => {
        await ctx.st.delete(ctx.entity, plan.stId);
        return { kind: 'synced', row, why: 'gone_in_st' };
      });
    }
    case 'conflict':
    case 'settle_st':
      return ctx.dryRun
        ? { kind: 'planned', row, action: 'conflict', request: null }
        : {
            kind: 'conflict',
            row,
            stId: plan.stId,
            conflict: plan.conflict,
            settle: plan.kind === 'settle_st' ? 'keep_st' : null,
          };
    case 'done':
      return ctx.dryRun
        ? { kind: 'planned', row, action: 'delete', request: null }
        : { kind: 'synced', row, why: plan.why };
  }
}

/**
 * Pushes one batch of pending rows of one entity: re-reads ST, plans each row, sends what must be
 * sent (bulk for many SKU updates), and returns one result per row handled. A retryable failure
 * stops the batch: the results so far are returned with it, so what ST accepted is recorded
 * before the command is retried.
 *
 * @example
 * const { results, stoppedBy } = await pushBatch(ctx, rows);
 */
export async function pushBatch(
  ctx: PushBatchContext,
  rows: readonly PendingRow[],
): Promise<PushBatchOutcome> {
  const results: PushResult[] = [];
  // Each batch reads the items to match afresh: a retry of a batch whose creates ST accepted
  // (in this process, within seconds) must see them, or it would create them again. Within one
  // batch the read stays, so two alike new rows never adopt one item.
  untaggedCache.delete(ctx.entity);
  try {
    const current = await readCurrent(ctx, rows);
    const patches: Patchable[] = [];
    for (const row of rows) {
      const unreadable = row.stId === null ? undefined : current.unreadable.get(row.stId);
      if (unreadable) {
        results.push({ kind: 'unreadable', row, item: unreadable, link: false });
        continue;
      }
      const plan = planPush(ctx, row, row.stId === null ? undefined : current.records.get(row.stId));
      const result = await carryOut(ctx, row, plan, patches);
      if (result) results.push(result);
    }
    const { entity } = ctx;
    const bulk = !ctx.dryRun && patches.length >= ctx.bulkMin && hasCapability(entity, 'bulk');
    results.push(...(bulk ? await bulkPatch(ctx, entity, patches) : await singlePatches(ctx, patches)));
    return { results };
  } catch (error) {
    if (error instanceof AppError && !error.retry && !isAmbiguousWrite(error)) throw error;
    return { results, stoppedBy: error };
  }
}
