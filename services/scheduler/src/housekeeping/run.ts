import {
  type AuditCursor,
  type EntityManager,
  type Orm,
  purgeAudit,
  purgeChangeSets,
  purgeDeadLetters,
  purgeDriftReports,
  purgeQuarantine,
  purgeRevokedSessions,
  purgeSessionCutoffs,
  purgeSyncItems,
  purgeSyncLogs,
  purgeWebhookDeliveries,
  type RetentionBatch,
} from '@pricebook/db';
import { purgePublishedOutbox } from '@pricebook/outbox';

/** How long each kind of row is kept, in milliseconds; `null` keeps it for ever. */
export interface Retentions {
  outbox: number | null;
  deadLetters: number | null;
  quarantine: number | null;
  syncLogs: number | null;
  audit: number | null;
  webhookDeliveries: number | null;
}

/** Rows one run deleted, by table (the `table` label of `pricebook_housekeeping_deleted_total`). */
export interface HousekeepingCounts {
  outbox: number;
  deadLetters: number;
  quarantine: number;
  audit: number;
  syncItems: number;
  syncLogs: number;
  driftReports: number;
  webhookDeliveries: number;
  changeSets: number;
  revokedSessions: number;
  sessionCutoffs: number;
}

export interface HousekeepingRunOptions {
  orm: Orm;
  tenantId: string;
  retention: Retentions;
  /** Rows per statement. */
  batchSize: number;
  /** Ends the run after the batch in hand. */
  signal?: AbortSignal;
  /** Told about each batch that deleted rows, once it committed (metrics; a failed run's share). */
  onDeleted?: (table: keyof HousekeepingCounts, count: number) => void;
}

type Counted = keyof HousekeepingCounts;

/** What a task's batches report to: the run's tally. */
type Tally = (count: number) => void;

interface Task {
  table: Counted;
  /** `null`: its rows carry their own expiry and go once it passes, whatever the retentions say. */
  retention: keyof Retentions | null;
  /** Deletes batch after batch until one comes back short, or the run is stopped. */
  run(em: EntityManager, batch: RetentionBatch, tally: Tally, signal: AbortSignal | undefined): Promise<void>;
}

/** Repeats a one-batch delete until a batch deletes less than the limit. */
const batches =
  (purge: (em: EntityManager, batch: RetentionBatch) => Promise<number>) =>
  async (em: EntityManager, batch: RetentionBatch, tally: Tally, signal: AbortSignal | undefined) => {
    while (!signal?.aborted) {
      const n = await purge(em, batch);
      tally(n);
      if (n < batch.limit) return;
    }
  };

/** The audit trail keeps rows inside each batch, so it walks on by cursor until the window is read. */
async function auditBatches(
  em: EntityManager,
  batch: RetentionBatch,
  tally: Tally,
  signal: AbortSignal | undefined,
) {
  let after: AuditCursor | undefined;
  while (!signal?.aborted) {
    const result = await purgeAudit(em, batch, after);
    tally(result.deleted);
    if (result.scanned < batch.limit || !result.next) return;
    after = result.next;
  }
}

// In this order: the audit trail and the quarantine go before the sync logs they point at, and a
// sync's ledger before the sync.
const tasks: readonly Task[] = [
  { table: 'outbox', retention: 'outbox', run: batches(purgePublishedOutbox) },
  { table: 'deadLetters', retention: 'deadLetters', run: batches(purgeDeadLetters) },
  { table: 'quarantine', retention: 'quarantine', run: batches(purgeQuarantine) },
  { table: 'audit', retention: 'audit', run: auditBatches },
  // After the audit trail: a change-set goes once the audit retention has taken all its changes.
  { table: 'changeSets', retention: 'audit', run: batches(purgeChangeSets) },
  { table: 'syncItems', retention: 'syncLogs', run: batches(purgeSyncItems) },
  { table: 'syncLogs', retention: 'syncLogs', run: batches(purgeSyncLogs) },
  // Kept as long as the syncs; the tenant's latest report always stays.
  { table: 'driftReports', retention: 'syncLogs', run: batches(purgeDriftReports) },
  // Finished ones only: a pending delivery stays until it succeeds or runs out of attempts.
  { table: 'webhookDeliveries', retention: 'webhookDeliveries', run: batches(purgeWebhookDeliveries) },
  // Console sessions are the deployment's, not a tenant's: the first tenant's run takes them all.
  { table: 'revokedSessions', retention: null, run: batches(purgeRevokedSessions) },
  { table: 'sessionCutoffs', retention: null, run: batches(purgeSessionCutoffs) },
];

/**
 * One housekeeping run: deletes what is past each retention, a bounded batch per statement (each
 * its own short transaction, so no lock is held for long and no snapshot stays open), and returns
 * what it deleted. A retention of `null` deletes nothing of its kind. Several replicas may run at
 * once: batches skip the rows another replica holds, so the replicas share the work and their
 * counts add up to what went.
 *
 * @example
 * const counts = await runHousekeeping({ orm, tenantId: '1001', batchSize: 1000,
 *   retention: { outbox: 7 * day, deadLetters: 30 * day, quarantine: 30 * day, syncLogs: 180 * day, audit: null,
 *   webhookDeliveries: 30 * day } });
 */
export async function runHousekeeping(options: HousekeepingRunOptions): Promise<HousekeepingCounts> {
  const counts: HousekeepingCounts = {
    outbox: 0,
    deadLetters: 0,
    quarantine: 0,
    audit: 0,
    syncItems: 0,
    syncLogs: 0,
    driftReports: 0,
    webhookDeliveries: 0,
    changeSets: 0,
    revokedSessions: 0,
    sessionCutoffs: 0,
  };
  const em = options.orm.em.fork();
  for (const task of tasks) {
    const olderThanMs = task.retention === null ? 0 : options.retention[task.retention];
    if (olderThanMs === null || options.signal?.aborted) continue;
    const batch = { tenantId: options.tenantId, olderThanMs, limit: options.batchSize };
    const tally = (n: number) => {
      counts[task.table] += n;
      if (n > 0) options.onDeleted?.(task.table, n);
    };
    await task.run(em, batch, tally, options.signal);
  }
  return counts;
}
