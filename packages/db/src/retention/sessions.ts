import type { EntityManager } from '@mikro-orm/postgresql';
import { countOf, type RetentionBatch } from './batch';

/** One batch of rows that expire by themselves: no retention setting, no tenant (sessions are the deployment's). */
export type ExpiryBatch = Pick<RetentionBatch, 'limit'>;

const purgeExpired = async (em: EntityManager, table: string, key: string, limit: number) =>
  countOf(
    await em.execute<{ n: string }[]>(
      `with doomed as (
         select ${key} from ${table} where expires_at < now() order by expires_at limit ? for update skip locked
       ), gone as (
         delete from ${table} t using doomed where t.${key} = doomed.${key} returning 1
       )
       select count(*) as n from gone`,
      [limit],
    ),
  );

/**
 * Deletes one batch of signed-out sessions whose cookies have expired (an expired cookie is refused
 * anyway, so the row no longer matters), oldest first, and returns how many went.
 *
 * @example
 * const n = await purgeRevokedSessions(em, { limit: 1000 });
 */
export function purgeRevokedSessions(em: EntityManager, batch: ExpiryBatch): Promise<number> {
  return purgeExpired(em, 'pricebook_revoked_sessions', 'nonce', batch.limit);
}

/**
 * Deletes one batch of per-key session cutoffs whose every session they ended has expired, and
 * returns how many went.
 *
 * @example
 * const n = await purgeSessionCutoffs(em, { limit: 1000 });
 */
export function purgeSessionCutoffs(em: EntityManager, batch: ExpiryBatch): Promise<number> {
  return purgeExpired(em, 'pricebook_session_cutoffs', 'kid', batch.limit);
}
