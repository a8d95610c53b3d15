import type { EntityManager } from '@mikro-orm/postgresql';
import type { ChangeSetKind } from '@pricebook/contracts';
import type { WriteOrigin } from './entities/events';
import type { Orm } from './orm';

/** Names of the transaction-local settings the triggers read. */
export const sessionSettings = {
  origin: 'pricebook.origin',
  syncLogId: 'pricebook.sync_log_id',
  actor: 'pricebook.actor',
  changeSetId: 'pricebook.changeset_id',
  changeSetKind: 'pricebook.changeset_kind',
} as const;

/** The change-set a transaction's changes belong to (`pricebook_changesets`). */
export interface ChangeSetRef {
  id: string;
  kind: ChangeSetKind;
}

/**
 * The values of `pricebook.origin`: every audit origin, plus `push`, the engine's bookkeeping of
 * its own write to ServiceTitan, which the triggers treat as an engine write that announces
 * nothing (no audit row, no event: the pushed local edit already has both); and `embedding`, the
 * embedder's write of a row's vector, which the row trigger lets change nothing else (not even
 * `version`).
 */
export type SessionOrigin = WriteOrigin | 'push' | 'embedding';

export interface WriteContext {
  /**
   * `st`, `resolution`, `merge` are the engine's own writes; `local` and `inbound` are local
   * edits; `push` records ST's echo of a pushed local edit silently; `embedding` writes only a
   * row's vector.
   */
  origin: SessionOrigin;
  /** Recorded on audit rows and as the outbox correlation id. */
  syncLogId?: string | null;
  /** Who asked for the change (user, tool, consumer), recorded on audit rows and events. */
  actor?: string | null;
  /**
   * The change-set the changes join; the triggers create it with its first change. Default: the
   * sync's own (id = `syncLogId`, kind `sync`) when there is a sync, else none.
   */
  changeSet?: ChangeSetRef | null;
}

/** The change-set `ctx` writes into: the one it names, or its sync's. */
export function changeSetOf(ctx: WriteContext): ChangeSetRef | null {
  if (ctx.changeSet !== undefined) return ctx.changeSet;
  return ctx.syncLogId ? { id: ctx.syncLogId, kind: 'sync' } : null;
}

/**
 * Marks every write of the current transaction with `ctx`. The settings are transaction-local
 * (`set_config(…, true)`), so they can never leak to the next user of a pooled connection;
 * outside a transaction they would vanish after this statement, hence the refusal.
 *
 * @example
 * await em.transactional(async (tx) => {
 *   await setWriteContext(tx, { origin: 'st', syncLogId });
 *   await tx.execute('insert into pricebook_materials …');
 * });
 */
export async function setWriteContext(em: EntityManager, ctx: WriteContext): Promise<void> {
  if (!em.isInTransaction()) {
    throw new Error('setWriteContext needs a transaction: the settings last only until it ends');
  }
  const changeSet = changeSetOf(ctx);
  await em.execute(
    `select set_config(?, ?, true), set_config(?, ?, true), set_config(?, ?, true),
      set_config(?, ?, true), set_config(?, ?, true)`,
    [
      sessionSettings.origin,
      ctx.origin,
      sessionSettings.syncLogId,
      ctx.syncLogId ?? '',
      sessionSettings.actor,
      ctx.actor ?? '',
      sessionSettings.changeSetId,
      changeSet?.id ?? '',
      sessionSettings.changeSetKind,
      changeSet?.kind ?? '',
    ],
  );
}

/**
 * Runs `work` in a new transaction on a fresh fork, with every write marked by `ctx`.
 *
 * @example
 * await withWriteContext(orm, { origin: 'st', syncLogId }, (em) => applyBatch(em, rows));
 */
export async function withWriteContext<T>(
  orm: Orm,
  ctx: WriteContext,
  work: (em: EntityManager) => Promise<T>,
): Promise<T> {
  return orm.em.fork().transactional(async (em) => {
    await setWriteContext(em, ctx);
    return work(em);
  });
}
