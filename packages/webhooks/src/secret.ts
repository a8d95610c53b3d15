import { randomBytes } from 'node:crypto';
import type { SecretBinding } from '@pricebook/tenants';

/**
 * A new signing secret in the Standard Webhooks form: `whsec_` and 24 random bytes in base64.
 *
 * @example
 * newWebhookSecret(); // 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw'
 */
export function newWebhookSecret(): string {
  return `whsec_${randomBytes(24).toString('base64')}`;
}

/**
 * What a subscription's sealed secret is bound to: a sealed value copied into another
 * subscription's row does not open.
 *
 * @example
 * box.seal(secret, webhookSecretBinding('1001', subscriptionId));
 */
export function webhookSecretBinding(tenantId: string, subscriptionId: string): SecretBinding {
  return { tenantId, field: `webhookSecret:${subscriptionId}` };
}
