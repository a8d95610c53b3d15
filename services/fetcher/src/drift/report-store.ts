import type { DriftEntityCounts, DriftItem, Message } from '@pricebook/contracts';
import type { Orm } from '@pricebook/db';

/** What a finished check stores. */
export interface DriftOutcome {
  status: 'in_sync' | 'drifted' | 'failed';
  entities: DriftEntityCounts[];
  items: DriftItem[];
  driftedCount: number;
  truncated: boolean;
  stRequests: number;
  error: string | null;
}

/**
 * Marks a check's report `running` (creating the row when the command came without one, e.g.
 * from another system) and returns false when the check has already finished, so a redelivered
 * command is not run twice, or when the report is another tenant's.
 *
 * @example
 * if (!(await claimReport(orm, command))) return;
 */
export async function claimReport(orm: Orm, command: Message<'drift.command'>): Promise<boolean> {
  const { checkId, trigger, requestedBy } = command.data;
  const rows = await orm.em.fork().execute<{ id: string }[]>(
    `insert into pricebook_drift_reports (id, tenant_id, status, trigger, requested_by, started_at)
     values (?, ?, 'running', ?, ?, now())
     on conflict (id) do update set status = 'running', started_at = now()
       where pricebook_drift_reports.status in ('queued', 'running')
         and pricebook_drift_reports.tenant_id = excluded.tenant_id
     returning id`,
    [checkId, command.tenant, trigger, requestedBy ?? null],
  );
  return rows.length > 0;
}

/**
 * Stores a check's outcome on its report row, which must be the tenant's.
 *
 * @example
 * await finishReport(orm, command.tenant, checkId, outcome);
 */
export async function finishReport(
  orm: Orm,
  tenantId: string,
  checkId: string,
  outcome: DriftOutcome,
): Promise<void> {
  await orm.em.fork().execute(
    `update pricebook_drift_reports
        set status = ?, checked_at = now(), drifted_count = ?, truncated = ?, st_requests = ?,
            entities = ?::jsonb, items = ?::jsonb, error = ?
      where id = ? and tenant_id = ?`,
    [
      outcome.status,
      outcome.driftedCount,
      outcome.truncated,
      outcome.stRequests,
      JSON.stringify(outcome.entities),
      JSON.stringify(outcome.items),
      outcome.error,
      checkId,
      tenantId,
    ],
  );
}
