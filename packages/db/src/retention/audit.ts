import type { EntityManager } from '@mikro-orm/postgresql';
import { cutoffSql, type RetentionBatch } from './batch';

/** Where the next audit batch starts: after this row in `(created_at, seq)` order. */
export interface AuditCursor {
  /** `created_at` as PostgreSQL prints it (microseconds kept, which a `Date` would drop). */
  createdAt: string;
  seq: string;
}

export interface AuditBatchResult {
  /** Audit rows deleted. */
  deleted: number;
  /** Rows past the retention looked at; fewer than the limit means the run is done. */
  scanned: number;
  /** Where the next batch starts; `undefined` when nothing was looked at. */
  next: AuditCursor | undefined;
}

interface AuditBatchRow {
  deleted: string;
  scanned: string;
  last_at: string | null;
  last_seq: string | null;
}

/**
 * Deletes the audit rows (`pricebook_changes`) of one batch past the retention, in
 * `(created_at, seq)` order from `after`. Two kinds of old rows stay for ever:
 *
 * - the newest change of each record: its history's last word, what the record was last
 *   changed to, by whom and why;
 * - a change whose event is still in the outbox unpublished: the relay builds the event from it.
 *
 * Rows kept are stepped over by the cursor, so one run reads each old row once however many
 * stay, and only the rows to delete are locked (a lock writes to the row, and most old rows may
 * be kept). Rows another replica is deleting are skipped, never waited for.
 *
 * @example
 * let after: AuditCursor | undefined;
 * for (;;) {
 *   const batch = await purgeAudit(em, { tenantId, olderThanMs, limit: 1000 }, after);
 *   if (batch.scanned < 1000 || !batch.next) break;
 *   after = batch.next;
 * }
 */
export async function purgeAudit(
  em: EntityManager,
  batch: RetentionBatch,
  after?: AuditCursor,
): Promise<AuditBatchResult> {
  const from = after ? `and (c.created_at, c.seq) > (?::timestamptz, ?::bigint)` : '';
  const params: unknown[] = [batch.tenantId, batch.olderThanMs];
  if (after) params.push(after.createdAt, after.seq);
  params.push(batch.limit);
  const rows = await em.execute<AuditBatchRow[]>(
    `with candidates as (
       select c.id, c.tenant_id, c.entity_type, c.record_id, c.seq, c.created_at
         from pricebook_changes c
        where c.tenant_id = ? and c.created_at < ${cutoffSql} ${from}
        order by c.created_at, c.seq
        limit ?
     ), doomed as (
       select c.id from pricebook_changes c
        where c.id in (
          select k.id from candidates k
           where exists (select 1 from pricebook_changes n
                          where n.tenant_id = k.tenant_id and n.entity_type = k.entity_type
                            and n.record_id = k.record_id and n.seq > k.seq)
             and not exists (select 1 from pricebook_outbox o where o.published_at is null and o.change_id = k.id))
        for update of c skip locked
     ), gone as (
       delete from pricebook_changes c using doomed where c.id = doomed.id returning 1
     ), last as (
       select created_at, seq from candidates order by created_at desc, seq desc limit 1
     )
     select (select count(*) from gone) as deleted,
            (select count(*) from candidates) as scanned,
            (select created_at::text from last) as last_at,
            (select seq::text from last) as last_seq`,
    params,
  );
  const row = rows[0];
  const next =
    row?.last_at && row.last_seq !== null ? { createdAt: row.last_at, seq: row.last_seq } : undefined;
  return { deleted: Number(row?.deleted ?? 0), scanned: Number(row?.scanned ?? 0), next };
}
