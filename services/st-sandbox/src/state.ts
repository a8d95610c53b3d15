import type { IncomingMessage } from 'node:http';
import { z } from 'zod';
import type { TokenStore } from './auth/tokens';
import type { SandboxClock } from './clock';
import type { FaultInjector } from './faults';
import type { PageShifts } from './page-shift';
import type { SlidingWindowLimiter } from './rate-limit';
import type { Stats } from './stats';
import type { Tenant } from './store/tenant';

/** Process-wide behaviour, changeable at run time through `PUT /_sandbox/settings`. */
export const sandboxSettings = z.object({
  /** Rows per export page: the server's choice in ServiceTitan. */
  exportPageSize: z.number().int().min(1).max(50_000),
  /** Rows of the previous page sent again when `includeRecentChanges=true`. */
  exportOverlap: z.number().int().min(0).max(1000),
  /** Export visibility lag without `includeRecentChanges` (ServiceTitan: 15 minutes). */
  exportLagSeconds: z.number().int().min(0),
  /** Unknown fields on records and envelopes. */
  extraFields: z.boolean(),
  /** Per (app key, tenant) and second; 0 turns throttling off. */
  rateLimitPerSecond: z.number().int().min(0),
  /** Per client id and minute on `POST /connect/token`; 0 turns it off. */
  tokenRequestsPerMinute: z.number().int().min(0),
});
export type SandboxSettings = z.infer<typeof sandboxSettings>;

export const defaultSettings: SandboxSettings = {
  exportPageSize: 1000,
  exportOverlap: 3,
  exportLagSeconds: 900,
  extraFields: true,
  rateLimitPerSecond: 60,
  tokenRequestsPerMinute: 120,
};

export interface TenantSpec {
  tenantId: string;
  clientId: string;
  clientSecret: string;
  appKey: string;
  items: number;
  seed: number;
}

/** Everything the sandbox holds; one instance per `createSandbox`. */
export interface SandboxState {
  clock: SandboxClock;
  settings: SandboxSettings;
  tenants: Map<string, Tenant>;
  tokens: TokenStore;
  limiter: SlidingWindowLimiter;
  tokenLimiter: SlidingWindowLimiter;
  faults: FaultInjector;
  /** Writes armed to happen right after a given list page is served. */
  pageShifts: PageShifts;
  stats: Stats;
  /** The tenant created at boot (and again on reset). */
  defaultTenant: TenantSpec | undefined;
}

export type SandboxEnv = {
  /** Present when served by @hono/node-server; absent under `app.request()`. */
  Bindings: { incoming?: IncomingMessage };
  Variables: { tenant: Tenant };
};
