/** One bounded batch of a retention: a tenant's rows older than `olderThanMs`, at most `limit`. */
export interface RetentionBatch {
  tenantId: string;
  /** Rows older than this many milliseconds (on the database's clock) may go. */
  olderThanMs: number;
  /** Rows deleted (or looked at) per statement: the batch, and how long its row locks last. */
  limit: number;
}

/** The cutoff on the database's clock; its one parameter is the retention in milliseconds. */
export const cutoffSql = `now() - make_interval(secs => ?::double precision / 1000)`;

export const countOf = (rows: ReadonlyArray<{ n: number | string }>): number => Number(rows[0]?.n ?? 0);
