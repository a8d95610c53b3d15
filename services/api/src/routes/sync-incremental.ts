import type { ApiApp, RouteDeps } from '../context';
import { registerStartSync } from './start-sync';

/**
 * `POST /api/sync/pricebook/incremental` (operator): queue an incremental sync.
 *
 * @example
 * registerSyncIncremental(app, deps);
 */
export function registerSyncIncremental(app: ApiApp, deps: RouteDeps): void {
  registerStartSync(app, deps, 'incremental');
}
