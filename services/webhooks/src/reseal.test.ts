import { randomBytes } from 'node:crypto';
import { createOrm } from '@pricebook/db';
import { SecretBox } from '@pricebook/tenants';
import { test } from '@pricebook/testing/vitest';
import { webhookSecretBinding } from '@pricebook/webhooks';
import { describe, expect } from 'vitest';
import { resealWebhookSecrets } from './reseal';
import { silentLog, subscribe, tenant, testKey } from './test-support';

describe('re-sealing webhook secrets', () => {
  test('moves every secret to the newest key, so the old one can be dropped', async ({ database }) => {
    const orm = await createOrm(database.url, { poolMax: 2 });
    try {
      const { id, secret } = await subscribe(orm, 'https://hooks.example.com/x', ['sync.completed']);
      // A rotation: the new key first, the old one still listed.
      const newest = { id: 'k2', key: randomBytes(32) };
      const rotated = new SecretBox([newest, testKey]);
      expect(await resealWebhookSecrets(orm, rotated, silentLog)).toEqual({ resealed: 1, unreadable: 0 });
      expect(await resealWebhookSecrets(orm, rotated, silentLog)).toEqual({ resealed: 0, unreadable: 0 });
      const [row] = await orm.em
        .fork()
        .execute<{ secret: string; secrets_key_id: string }[]>(
          'select secret, secrets_key_id from pricebook_webhook_subscriptions where id = ?',
          [id],
        );
      expect(row?.secrets_key_id).toBe('k2');
      // The old key dropped: the secret still opens.
      expect(new SecretBox([newest]).open(row?.secret ?? '', webhookSecretBinding(tenant, id))).toBe(secret);
      // A box without the key it was sealed with cannot re-seal it, and says so.
      const lost = new SecretBox([{ id: 'k3', key: randomBytes(32) }]);
      expect(await resealWebhookSecrets(orm, lost, silentLog)).toEqual({ resealed: 0, unreadable: 1 });
    } finally {
      await orm.close();
    }
  });
});
