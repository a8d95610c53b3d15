import type { Message } from '@pricebook/contracts';
import type { EngineMetrics, RecordOperation } from './metrics';

/** The applier's ledger actions, as `pricebook_records_total` names them. */
const operationOf: Record<string, RecordOperation> = {
  create: 'created',
  update: 'updated',
  delete: 'deleted',
  skip: 'skipped',
  conflict: 'conflict',
  merge: 'merge',
  quarantine: 'quarantine',
};

/**
 * Counts the records of a committed batch (the applier's `onApplied` hook), per tenant. An action
 * this version does not know is counted under its own name rather than dropped.
 *
 * @example
 * createDecidedHandler({ orm, js, onApplied: recordsApplied(metrics) });
 */
export function recordsApplied(
  metrics: EngineMetrics,
): (applied: ReadonlyArray<{ tenantId: string; entity: string; action: string; count: number }>) => void {
  return (applied) => {
    for (const { tenantId, entity, action, count } of applied) {
      metrics.applied(entity, operationOf[action] ?? (action as RecordOperation), count, tenantId);
    }
  };
}

function secondsOf(data: {
  durationMs?: number;
  startedAt?: string;
  completedAt?: string;
}): number | undefined {
  if (data.durationMs !== undefined) return data.durationMs / 1000;
  if (!data.startedAt || !data.completedAt) return undefined;
  const ms = Date.parse(data.completedAt) - Date.parse(data.startedAt);
  return Number.isFinite(ms) && ms >= 0 ? ms / 1000 : undefined;
}

/**
 * Observes sync durations from the `sync.completed` / `sync.failed` events the outbox relay has
 * just published: the event is the one fact every finished sync leaves, once, after its commit.
 *
 * @example
 * startRelay({ orm, js, log, onPublished: syncDurations(metrics) });
 */
export function syncDurations(metrics: EngineMetrics): (messages: readonly Message[]) => void {
  return (messages) => {
    for (const m of messages) {
      if (m.type !== 'sync.completed' && m.type !== 'sync.failed') continue;
      const seconds = secondsOf(m.data);
      if (seconds !== undefined)
        metrics.syncDuration.observe(
          { type: m.data.syncType, status: m.data.status, tenant: m.tenant },
          seconds,
        );
    }
  };
}
