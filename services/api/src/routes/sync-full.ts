import type { ApiApp, RouteDeps } from '../context';
import { registerStartSync } from './start-sync';

/**
 * `POST /api/sync/pricebook/full` (operator): queue a full sync.
 *
 * @example
 * registerSyncFull(app, deps);
 */
export function registerSyncFull(app: ApiApp, deps: RouteDeps): void {
  registerStartSync(app, deps, 'full');
}
