import { bundle, bundleTargets } from './bundle';

/**
 * vitest's global setup: brings every service and job bundle up to date before any test file runs,
 * so tests always start the code as it is now, as the deployments run it. It runs once per
 * `vitest run`, in the main process before any worker starts, so workers never build; a bundle
 * whose sources did not change since it was built is left alone.
 */
export default async function setup(): Promise<void> {
  await bundle(bundleTargets());
}
