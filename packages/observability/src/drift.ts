import type { EngineMetrics } from './metrics';

/** A tenant's latest finished drift report, as the gauges show it. */
export interface DriftSnapshot {
  tenant: string;
  /** Unix ms when the check finished. */
  checkedAtMs: number;
  failed: boolean;
  /** Drifted items per entity type. */
  drifted: Readonly<Record<string, number>>;
}

/**
 * Fills the drift gauges (`pricebook_drift_items`, `pricebook_drift_checked_timestamp_seconds`,
 * `pricebook_drift_check_failed`) from the database on every scrape, so every API replica shows
 * the same values whichever fetcher ran the check.
 *
 * @example
 * driftMetrics(metrics, () => latestDriftSnapshots(orm.em.fork()));
 */
export function driftMetrics(metrics: EngineMetrics, read: () => Promise<readonly DriftSnapshot[]>): void {
  const { driftItems, driftCheckedAt, driftCheckFailed } = metrics;
  metrics.onScrape(async () => {
    const snapshots = await read();
    driftItems.reset();
    driftCheckedAt.reset();
    driftCheckFailed.reset();
    for (const s of snapshots) {
      driftCheckedAt.set({ tenant: s.tenant }, Math.floor(s.checkedAtMs / 1000));
      driftCheckFailed.set({ tenant: s.tenant }, s.failed ? 1 : 0);
      for (const [entity, n] of Object.entries(s.drifted)) driftItems.set({ tenant: s.tenant, entity }, n);
    }
  });
}
