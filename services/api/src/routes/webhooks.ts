import type { ApiApp, RouteDeps } from '../context';
import { registerWebhooksAttempts } from './webhooks-attempts';
import { registerWebhooksCreate } from './webhooks-create';
import { registerWebhooksDelete } from './webhooks-delete';
import { registerWebhooksDeliveries } from './webhooks-deliveries';
import { registerWebhooksEnable } from './webhooks-enable';
import { registerWebhooksGet } from './webhooks-get';
import { registerWebhooksList } from './webhooks-list';
import { registerWebhooksReplay } from './webhooks-replay';
import { registerWebhooksUpdate } from './webhooks-update';

/**
 * Every `/api/webhooks` route (admin, tenant-scoped).
 *
 * @example
 * registerWebhooks(app, deps);
 */
export function registerWebhooks(app: ApiApp, deps: RouteDeps): void {
  registerWebhooksList(app, deps);
  registerWebhooksCreate(app, deps);
  registerWebhooksGet(app, deps);
  registerWebhooksUpdate(app, deps);
  registerWebhooksDelete(app, deps);
  registerWebhooksEnable(app, deps);
  registerWebhooksDeliveries(app, deps);
  registerWebhooksAttempts(app, deps);
  registerWebhooksReplay(app, deps);
}
