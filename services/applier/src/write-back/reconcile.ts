import type { EntityType } from '@pricebook/contracts';
import { type EntityManager, setWriteContext } from '@pricebook/db';
import type { Logger } from '@pricebook/logger';
import type { PushResult } from './execute';
import { setStIds, softDeleteRows, stIdHolders } from './store';

export interface ReconcileScope {
  em: EntityManager;
  tenantId: string;
  entity: EntityType;
  syncLogId: string;
  actor: string;
  log: Logger;
}

/** The ST id a result gives a row that has none yet (a create, or an earlier create adopted). */
function claimOf(r: PushResult): number | undefined {
  if (r.row.stId !== null) return undefined;
  if (r.kind === 'written') return r.stId;
  if (r.kind === 'unreadable' && r.link) return r.item.stId;
  return undefined;
}

function refused(r: PushResult, stId: number, why: string): PushResult {
  const request = r.kind === 'written' ? r.request : null;
  return {
    kind: 'rejected',
    row: r.row,
    request,
    reason: `ServiceTitan item ${stId}, created for this row, ${why}; it stays pending until that is settled`,
  };
}

/**
 * Makes room for the ST ids this batch's creates give their rows. ST's `externalData` says the
 * item is this row's, so a row that holds the id otherwise is a second copy of it: a pull that
 * ran while the create was not yet recorded (after a crash) imported ST's echo of it. Such a copy
 * that only mirrors ST is retired (soft-deleted, announced, its ST id freed) and the row that
 * made the item takes the id. A copy with local edits or a conflict is left for a person: the
 * create is then reported as rejected with the reason, never retried as a failing insert.
 *
 * @example
 * const results = await reconcileStIds(scope, batchResults);
 */
export async function reconcileStIds(
  scope: ReconcileScope,
  results: readonly PushResult[],
): Promise<PushResult[]> {
  const { em, entity, tenantId } = scope;
  const claims = new Map<number, string>();
  const out = results.map((r) => {
    const stId = claimOf(r);
    if (stId === undefined) return r;
    const first = claims.get(stId);
    if (first !== undefined) return refused(r, stId, `is already claimed by local row ${first}`);
    claims.set(stId, r.row.id);
    return r;
  });
  if (claims.size === 0) return out;
  const holders = await stIdHolders(em, entity, tenantId, [...claims.keys()], [...claims.values()]);
  if (holders.length === 0) return out;
  const blocked = new Map<number, string>();
  const copies = holders.filter((h) => {
    if (!h.mirrorOnly) blocked.set(h.stId, h.id);
    return h.mirrorOnly;
  });
  await setWriteContext(em, { origin: 'st', syncLogId: scope.syncLogId, actor: scope.actor });
  await softDeleteRows(
    em,
    entity,
    copies.filter((c) => !c.deleted).map((c) => c.id),
  );
  await setWriteContext(em, { origin: 'push', syncLogId: scope.syncLogId, actor: scope.actor });
  await setStIds(
    em,
    entity,
    copies.map((c) => ({ id: c.id, stId: null })),
  );
  for (const c of copies) {
    scope.log.warn(
      { entity, stId: c.stId, copy: c.id, recordId: claims.get(c.stId) },
      'a second local row of a pushed create retired',
    );
  }
  return out.map((r) => {
    const stId = claimOf(r);
    const holder = stId === undefined ? undefined : blocked.get(stId);
    return stId === undefined || holder === undefined
      ? r
      : refused(r, stId, `is linked to local row ${holder}, which has local changes`);
  });
}
