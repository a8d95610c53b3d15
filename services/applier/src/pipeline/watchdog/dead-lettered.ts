import type { EntityManager } from '@pricebook/db';
import { query } from '../../sql/query';

/** The message types without which a sync cannot end. */
const syncParts = new Set(['sync.command', 'sync.fence', 'push.command']);

interface DeadLetter {
  tenant_id: string | null;
  payload: string;
  reason: string;
}

/** The sync a dead-lettered part belonged to, read from its envelope; undefined for anything else. */
function syncOf(payload: string): { syncId: string; type: string } | undefined {
  let message: unknown;
  try {
    message = JSON.parse(payload);
  } catch {
    return undefined;
  }
  if (typeof message !== 'object' || message === null) return undefined;
  const type = Reflect.get(message, 'type');
  if (typeof type !== 'string' || !syncParts.has(type)) return undefined;
  const data = Reflect.get(message, 'data');
  const fromData = typeof data === 'object' && data !== null ? Reflect.get(data, 'syncLogId') : undefined;
  const syncId = fromData ?? Reflect.get(message, 'correlationId');
  return typeof syncId === 'string' ? { syncId, type } : undefined;
}

/**
 * Of these open syncs, the ones a needed part of which was dead-lettered (a letter of the sync's
 * tenant, or of none), with the reason.
 *
 * @example
 * const dead = await deadLetteredParts(em, [{ id: syncId, tenantId: '1001' }]);
 * dead.get(syncId); // 'push.command refused: …'
 */
export async function deadLetteredParts(
  em: EntityManager,
  syncs: ReadonlyArray<{ id: string; tenantId: string }>,
): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  if (syncs.length === 0) return out;
  const syncIds = syncs.map((s) => s.id);
  const tenants = [...new Set(syncs.map((s) => s.tenantId))];
  // Only letters written since the oldest open sync was created can belong to one of them; the
  // payload holds the sync id in plain text, which narrows the scan before any JSON is parsed.
  const letters = await query<DeadLetter>(
    em,
    `select d.tenant_id::text as tenant_id, d.payload, d.reason from pricebook_dead_letters d
      where (d.tenant_id in (select jsonb_array_elements_text(?::jsonb)::bigint) or d.tenant_id is null)
        and d.created_at >= (select min(created_at) from pricebook_sync_log
                              where id in (select jsonb_array_elements_text(?::jsonb)::uuid))
        and exists (select 1 from jsonb_array_elements_text(?::jsonb) as ids(id)
                     where strpos(d.payload, ids.id) > 0)
      order by d.created_at`,
    [JSON.stringify(tenants), JSON.stringify(syncIds), JSON.stringify(syncIds)],
  );
  const tenantOf = new Map(syncs.map((s) => [s.id, s.tenantId]));
  for (const letter of letters) {
    const part = syncOf(letter.payload);
    if (!part || out.has(part.syncId)) continue;
    const tenant = tenantOf.get(part.syncId);
    if (tenant !== undefined && (letter.tenant_id === null || letter.tenant_id === tenant)) {
      out.set(part.syncId, `its ${part.type} message was dead-lettered: ${letter.reason}`);
    }
  }
  return out;
}
