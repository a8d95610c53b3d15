import type { Orm } from '@pricebook/db';

/** Deliveries waiting for an attempt, every tenant's (the backlog gauge). */
export async function countPending(orm: Orm): Promise<number> {
  const [row] = await orm.em
    .fork()
    .execute<{ n: string }[]>(
      `select count(*)::text as n from pricebook_webhook_deliveries where status = 'pending'`,
    );
  return Number(row?.n ?? 0);
}
