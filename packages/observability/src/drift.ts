import { Gauge } from 'prom-client';
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
 * The drift gauges, read from the database on every scrape (so every API replica shows the same):
 * `pricebook_drift_items{tenant,entity}` (drifted items of the latest report),
 * `pricebook_drift_checked_timestamp_seconds{tenant}` (when it finished) and
 * `pricebook_drift_check_failed{tenant}` (1 when it could not read ServiceTitan).
 *
 * @example
 * driftMetrics(metrics, () => latestDriftReports(orm.em.fork()));
 */
export function driftMetrics(metrics: EngineMetrics, read: () => Promise<readonly DriftSnapshot[]>): void {
  const registers = [metrics.registry];
  const items = new Gauge({
    name: 'pricebook_drift_items',
    help: 'Items where ServiceTitan and the local copy differ with no local edit pending, in the latest drift report, by tenant and entity.',
    labelNames: ['tenant', 'entity'] as const,
    registers,
  });
  const checkedAt = new Gauge({
    name: 'pricebook_drift_checked_timestamp_seconds',
    help: "When the tenant's latest drift check finished (Unix seconds).",
    labelNames: ['tenant'] as const,
    registers,
  });
  const failed = new Gauge({
    name: 'pricebook_drift_check_failed',
    help: "Whether the tenant's latest drift check could not read ServiceTitan (1) or finished (0).",
    labelNames: ['tenant'] as const,
    registers,
  });
  metrics.onScrape(async () => {
    const snapshots = await read();
    items.reset();
    checkedAt.reset();
    failed.reset();
    for (const s of snapshots) {
      checkedAt.set({ tenant: s.tenant }, Math.floor(s.checkedAtMs / 1000));
      failed.set({ tenant: s.tenant }, s.failed ? 1 : 0);
      for (const [entity, n] of Object.entries(s.drifted)) items.set({ tenant: s.tenant, entity }, n);
    }
  });
}
