import { randomUUID } from 'node:crypto';
import {
  createMessage,
  type DriftReport,
  type DriftState,
  type Message,
  messageIds,
  subjectFor,
} from '@pricebook/contracts';
import type { EntityManager } from '@pricebook/db';
import type { DriftSnapshot } from '@pricebook/observability';
import { iso } from './values';

interface ReportRow {
  id: string;
  status: DriftReport['status'];
  trigger: DriftReport['trigger'];
  requested_by: string | null;
  created_at: Date | string;
  checked_at: Date | string | null;
  drifted_count: number;
  truncated: boolean;
  st_requests: number;
  entities: DriftReport['entities'];
  items: DriftReport['items'];
  error: string | null;
}

const columns = `id, status, trigger, requested_by, created_at, checked_at, drifted_count, truncated,
  st_requests, entities, items, error`;

function toReport(row: ReportRow): DriftReport {
  return {
    id: row.id,
    status: row.status,
    trigger: row.trigger,
    requestedBy: row.requested_by,
    createdAt: iso(row.created_at),
    checkedAt: iso(row.checked_at),
    driftedCount: row.drifted_count,
    truncated: row.truncated,
    stRequests: row.st_requests,
    entities: row.entities,
    items: row.items,
    error: row.error,
  };
}

/**
 * The tenant's latest finished drift report (in step, drifted or failed), and the check queued or
 * running now, if any.
 *
 * @example
 * const { report, pending } = await driftReports(em, '1001');
 */
export async function driftReports(
  em: EntityManager,
  tenantId: string,
): Promise<{ report: DriftReport | null; pending: DriftReport | null }> {
  const [finished] = await em.execute<ReportRow[]>(
    `select ${columns} from pricebook_drift_reports
      where tenant_id = ? and status in ('in_sync', 'drifted', 'failed')
      order by checked_at desc nulls last, created_at desc limit 1`,
    [tenantId],
  );
  const [pending] = await em.execute<ReportRow[]>(
    `select ${columns} from pricebook_drift_reports
      where tenant_id = ? and status in ('queued', 'running')
      order by created_at desc limit 1`,
    [tenantId],
  );
  return { report: finished ? toReport(finished) : null, pending: pending ? toReport(pending) : null };
}

/**
 * What the status endpoint says of drift: `unknown` before the first check; `stale` when the latest
 * report is older than `staleAfterMs` or the check failed; else `in_sync` or `drifted`.
 *
 * @example
 * driftState(report, Date.now(), 48 * 3_600_000); // { state: 'drifted', items: 3, … }
 */
export function driftState(report: DriftReport | null, nowMs: number, staleAfterMs: number): DriftState {
  if (!report) return { state: 'unknown', items: 0, checkedAt: null, reportId: null };
  const checkedAt = report.checkedAt ?? report.createdAt;
  const stale = report.status === 'failed' || nowMs - Date.parse(checkedAt) > staleAfterMs;
  const state = stale ? 'stale' : report.status === 'drifted' ? 'drifted' : 'in_sync';
  return { state, items: report.driftedCount, checkedAt, reportId: report.id };
}

/**
 * Queues a drift check in one transaction: its `queued` report row and the `drift.command` in the
 * outbox (message id `drift:<checkId>`). Publish `command` afterwards and mark the outbox row; if
 * that never happens the outbox relay publishes it under the same id.
 *
 * @example
 * const queued = await queueDriftCheck(em, { tenantId: '1001', trigger: 'operator', requestedBy: 'api:ops' });
 */
export async function queueDriftCheck(
  em: EntityManager,
  input: { tenantId: string; trigger: 'schedule' | 'operator'; requestedBy?: string },
): Promise<{ checkId: string; outboxId: string; command: Message<'drift.command'> }> {
  const checkId = randomUUID();
  const outboxId = randomUUID();
  const command = createMessage('drift.command', {
    id: messageIds.driftCheck(checkId),
    tenant: input.tenantId,
    correlationId: checkId,
    causationId: null,
    data: {
      checkId,
      trigger: input.trigger,
      ...(input.requestedBy ? { requestedBy: input.requestedBy } : {}),
    },
  });
  await em.transactional(async (tx) => {
    await tx.execute(
      `insert into pricebook_drift_reports (id, tenant_id, status, trigger, requested_by)
       values (?, ?, 'queued', ?, ?)`,
      [checkId, input.tenantId, input.trigger, input.requestedBy ?? null],
    );
    await tx.execute(
      `insert into pricebook_outbox (id, tenant_id, subject, event_type, payload, correlation_id, created_at)
       values (?, ?, ?, ?, ?::jsonb, ?, ?)`,
      [
        outboxId,
        input.tenantId,
        subjectFor('drift.command', { tenant: input.tenantId }),
        command.type,
        JSON.stringify(command.data),
        checkId,
        new Date(command.occurredAt),
      ],
    );
  });
  return { checkId, outboxId, command };
}

/**
 * Every tenant's latest finished drift report, for the drift gauges.
 *
 * @example
 * driftMetrics(metrics, () => latestDriftSnapshots(orm.em.fork()));
 */
export async function latestDriftSnapshots(em: EntityManager): Promise<DriftSnapshot[]> {
  const latest = await em.execute<
    { tenant_id: string; status: string; checked_at: Date | string; entities: DriftReport['entities'] }[]
  >(
    `select distinct on (tenant_id) tenant_id::text as tenant_id, status, checked_at, entities
       from pricebook_drift_reports
      where status in ('in_sync', 'drifted', 'failed') and checked_at is not null
      order by tenant_id, checked_at desc`,
  );
  return latest.map((r) => ({
    tenant: r.tenant_id,
    checkedAtMs: new Date(r.checked_at).getTime(),
    failed: r.status === 'failed',
    drifted: Object.fromEntries(r.entities.map((e) => [e.entity, e.drifted])),
  }));
}
