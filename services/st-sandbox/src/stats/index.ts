import type { KeyStats } from '../rate-limit';

export interface PathStats {
  count: number;
  byStatus: Record<string, number>;
}

export interface StatsSnapshot {
  totalRequests: number;
  byStatus: Record<string, number>;
  byPath: Record<string, PathStats>;
  rateLimited: number;
  tokensIssued: number;
  faultsInjected: Record<string, number>;
  rateLimit: (KeyStats & { appKey: string; tenantId: string })[];
}

/** `/pricebook/v2/tenant/123/materials/456` → `/pricebook/v2/tenant/:tenant/materials/:id`. */
export function routePattern(path: string): string {
  return path.replace(/\/tenant\/[^/]+/, '/tenant/:tenant').replace(/\/\d+(?=\/|$)/g, '/:id');
}

/** Counters of the traffic clients sent (control API calls are not counted). */
export class Stats {
  private total = 0;
  private byStatus = new Map<string, number>();
  private byPath = new Map<string, PathStats>();
  private faults = new Map<string, number>();
  rateLimited = 0;
  tokensIssued = 0;

  record(method: string, path: string, status: number | 'dropped'): void {
    const s = String(status);
    this.total++;
    this.byStatus.set(s, (this.byStatus.get(s) ?? 0) + 1);
    const key = `${method} ${routePattern(path)}`;
    let p = this.byPath.get(key);
    if (!p) {
      p = { count: 0, byStatus: {} };
      this.byPath.set(key, p);
    }
    p.count++;
    p.byStatus[s] = (p.byStatus[s] ?? 0) + 1;
    if (status === 429) this.rateLimited++;
  }

  fault(kind: string): void {
    this.faults.set(kind, (this.faults.get(kind) ?? 0) + 1);
  }

  snapshot(keys: [string, KeyStats][]): StatsSnapshot {
    return {
      totalRequests: this.total,
      byStatus: Object.fromEntries(this.byStatus),
      byPath: Object.fromEntries(this.byPath),
      rateLimited: this.rateLimited,
      tokensIssued: this.tokensIssued,
      faultsInjected: Object.fromEntries(this.faults),
      rateLimit: keys.map(([key, s]) => {
        const [appKey = '', tenantId = ''] = key.split('|');
        return { appKey, tenantId, ...s };
      }),
    };
  }

  reset(): void {
    this.total = 0;
    this.byStatus.clear();
    this.byPath.clear();
    this.faults.clear();
    this.rateLimited = 0;
    this.tokensIssued = 0;
  }
}
