import type { Orm } from '@pricebook/db';
import type { Logger } from '@pricebook/logger';
import type { SecretBox } from '@pricebook/tenants';
import { webhookSecretBinding } from '@pricebook/webhooks';

interface SealedRow {
  id: string;
  tenant_id: string;
  secret: string;
  secrets_key_id: string;
}

/**
 * Seals again with the newest key of `TENANT_SECRETS_KEYS` every signing secret sealed with an
 * older one, so an operator can drop the old key after a rotation (as the scheduler does for
 * tenant credentials). A secret no key opens is left as it is and counted in `unreadable`.
 *
 * @example
 * await resealWebhookSecrets(orm, box, log); // at start, after a new key was put first
 */
export async function resealWebhookSecrets(
  orm: Orm,
  box: SecretBox,
  log: Logger,
): Promise<{ resealed: number; unreadable: number }> {
  const em = orm.em.fork();
  const rows = await em.execute<SealedRow[]>(
    `select id, tenant_id::text as tenant_id, secret, secrets_key_id from pricebook_webhook_subscriptions
      where secrets_key_id <> ?`,
    [box.currentKeyId],
  );
  let resealed = 0;
  let unreadable = 0;
  for (const row of rows) {
    const binding = webhookSecretBinding(row.tenant_id, row.id);
    let plain: string;
    try {
      plain = box.open(row.secret, binding);
    } catch (err) {
      unreadable += 1;
      log.error({ subscriptionId: row.id, err }, 'webhook signing secret cannot be opened to re-seal it');
      continue;
    }
    // Only if nobody sealed it meanwhile (another replica).
    const done = await em.execute<{ id: string }[]>(
      `update pricebook_webhook_subscriptions set secret = ?, secrets_key_id = ?
        where id = ? and secrets_key_id = ? returning id`,
      [box.seal(plain, binding), box.currentKeyId, row.id, row.secrets_key_id],
    );
    resealed += done.length;
  }
  if (resealed > 0) log.info({ resealed }, 'webhook signing secrets re-sealed with the newest key');
  return { resealed, unreadable };
}
