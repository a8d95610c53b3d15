import { z } from 'zod';
import { createRng, type Rng } from '../random';

const rate = z.number().min(0).max(1);

export const faultAction = z.enum(['ok', 'error', 'rate-limit', 'truncate', 'drop', 'latency']);
export type FaultAction = z.infer<typeof faultAction>;

/** What the control API accepts for `PUT /_sandbox/faults` (an empty object clears them). */
export const faultConfig = z.object({
  errorRate: rate.optional(),
  rateLimitStormRate: rate.optional(),
  truncateRate: rate.optional(),
  dropRate: rate.optional(),
  latencyMs: z.number().int().min(0).max(120_000).optional(),
  latencyJitterMs: z.number().int().min(0).max(120_000).optional(),
  tokenTtlSeconds: z.number().int().min(0).max(86_400).optional(),
  script: z.array(faultAction).optional(),
  pathPattern: z.string().optional(),
  includeAuth: z.boolean().optional(),
  seed: z.number().int().optional(),
});
export type FaultConfig = z.infer<typeof faultConfig>;

export interface FaultDecision {
  action: FaultAction;
  latencyMs: number;
  /** For `error`: which 5xx to send. */
  status: 500 | 502 | 503;
}

interface Active {
  config: FaultConfig;
  rng: Rng;
  script: FaultAction[];
  pattern: RegExp | undefined;
}

const NONE: FaultDecision = { action: 'ok', latencyMs: 0, status: 500 };

/**
 * Decides, per request, whether to misbehave. Faults are set per tenant or globally (a
 * tenant's own set wins). Given a seed, the same request sequence meets the same faults:
 * every decision draws the same number of random values whatever the rates are.
 */
export class FaultInjector {
  private global: Active | undefined;
  private readonly perTenant = new Map<string, Active>();

  set(config: FaultConfig, tenantId?: string): void {
    const empty = Object.keys(config).length === 0;
    const active: Active | undefined = empty
      ? undefined
      : {
          config,
          rng: createRng(config.seed ?? 1),
          script: [...(config.script ?? [])],
          pattern: config.pathPattern ? new RegExp(config.pathPattern) : undefined,
        };
    if (tenantId === undefined) this.global = active;
    else if (active) this.perTenant.set(tenantId, active);
    else this.perTenant.delete(tenantId);
  }

  get(tenantId?: string): FaultConfig {
    const active = tenantId === undefined ? this.global : this.perTenant.get(tenantId);
    return active ? { ...active.config, script: active.script } : {};
  }

  /** Lifetime for tokens issued now, when an early-expiry fault is set. */
  tokenTtlSeconds(tenantId: string): number | undefined {
    return (this.perTenant.get(tenantId) ?? this.global)?.config.tokenTtlSeconds;
  }

  decide(tenantId: string | undefined, path: string, isAuth: boolean): FaultDecision {
    const active = (tenantId !== undefined ? this.perTenant.get(tenantId) : undefined) ?? this.global;
    if (!active) return NONE;
    const c = active.config;
    if (isAuth && !c.includeAuth) return NONE;
    if (active.pattern && !active.pattern.test(path)) return NONE;
    const r = active.rng;
    const draws = [r.next(), r.next(), r.next(), r.next(), r.next(), r.next()] as const;
    const latencyMs = (c.latencyMs ?? 0) + Math.floor(draws[4] * (c.latencyJitterMs ?? 0));
    const status = ([500, 502, 503] as const)[Math.floor(draws[5] * 3)] ?? 500;
    const scripted = active.script.shift();
    if (scripted)
      return {
        action: scripted,
        latencyMs: scripted === 'latency' ? Math.max(latencyMs, 1000) : latencyMs,
        status,
      };
    if (draws[0] < (c.dropRate ?? 0)) return { action: 'drop', latencyMs, status };
    if (draws[1] < (c.errorRate ?? 0)) return { action: 'error', latencyMs, status };
    if (draws[2] < (c.rateLimitStormRate ?? 0)) return { action: 'rate-limit', latencyMs, status };
    if (draws[3] < (c.truncateRate ?? 0)) return { action: 'truncate', latencyMs, status };
    return { action: 'ok', latencyMs, status };
  }

  clear(): void {
    this.global = undefined;
    this.perTenant.clear();
  }
}
