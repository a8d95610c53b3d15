import type { Orm } from './orm';

/** What a caller asks of the budget (the same shape as the ST client's `RateBudgetRequest`). */
export interface RateBudgetReservation {
  key: string;
  want: number;
  limit: number;
  holdMs: number;
}

/**
 * ServiceTitan's request budget kept in PostgreSQL (`pricebook_st_rate_budget`), shaped as the
 * ST client's `RateBudgetStore`. This package stays free of the ST client: the shapes match.
 *
 * PostgreSQL rather than NATS KV because a window needs one clock and an atomic grant: the
 * function reads the database's clock under the row lock, where a KV compare-and-set would
 * have to trust each replica's clock and retry under contention. Every process that calls
 * ServiceTitan (fetcher, applier) connects to the database for it.
 */
export interface PgRateBudgetStore {
  /** One round trip: up to `want` slots, each held `holdMs` on the database's clock. */
  reserve(request: RateBudgetReservation): Promise<{ granted: number; retryInMs: number }>;
  /** No slot is granted for `ms` from now (extends, never shortens, a pause). */
  pause(key: string, ms: number): Promise<void>;
}

/**
 * The budget store over `orm`'s pool. Errors (database down, table missing) reach the caller,
 * whose in-process limiter then takes over.
 *
 * @example
 * const limiter = new SharedRateLimiter({ store: pgRateBudgetStore(orm), appKey, tenantId });
 */
export function pgRateBudgetStore(orm: Orm): PgRateBudgetStore {
  return {
    async reserve({ key, want, limit, holdMs }) {
      const rows = await orm.em
        .fork()
        .execute<{ granted: number; retry_in_ms: number }[]>(
          'select granted, retry_in_ms from pricebook_st_rate_reserve(?, ?, ?, ?)',
          [key, want, limit, Math.ceil(holdMs)],
        );
      const row = rows[0];
      if (!row) throw new Error('pricebook_st_rate_reserve returned no row');
      return { granted: Number(row.granted), retryInMs: Number(row.retry_in_ms) };
    },
    async pause(key, ms) {
      await orm.em.fork().execute(
        `insert into pricebook_st_rate_budget (budget_key, paused_until, updated_at)
         values (?, clock_timestamp() + make_interval(secs => ?), clock_timestamp())
         on conflict (budget_key) do update
            set paused_until = greatest(pricebook_st_rate_budget.paused_until, excluded.paused_until),
                updated_at = excluded.updated_at`,
        [key, ms / 1000],
      );
    },
  };
}
