import { setTimeout as sleep } from 'node:timers/promises';

/** How often a sync that outlasts the API's wait is looked at. */
const POLL_MS = 250;

export interface ApiHandle {
  url: string;
  key: string;
}

/**
 * Starts a sync through the API and waits for it as a user would: `?wait=true`, then, if the sync
 * outlasts the API's wait (a million items, many tenants at once), its log until it finishes.
 * With `tenant`, the request (and every poll of its log) names it with `Pricebook-Tenant`.
 * Returns the sync's stats; throws unless it completed.
 */
export async function runSync(
  api: ApiHandle,
  kind: 'full' | 'incremental',
  tenant?: string,
): Promise<Record<string, number>> {
  const headers: Record<string, string> = {
    authorization: `Bearer ${api.key}`,
    'content-type': 'application/json',
    ...(tenant ? { 'pricebook-tenant': tenant } : {}),
  };
  const res = await fetch(`${api.url}/api/sync/pricebook/${kind}?wait=true`, {
    method: 'POST',
    headers,
    body: '{}',
  });
  let body = (await res.json()) as { status: string; stats?: Record<string, number> };
  const location = res.headers.get('location');
  while (res.status === 202 && location && !['completed', 'failed', 'cancelled'].includes(body.status)) {
    await sleep(POLL_MS);
    const log = await fetch(`${api.url}${location}`, { headers });
    body = ((await log.json()) as { log: typeof body }).log;
  }
  const who = tenant ? ` of tenant ${tenant}` : '';
  if (body.status !== 'completed' || !body.stats)
    throw new Error(`${kind} sync${who} ended ${body.status}: ${JSON.stringify(body)}`);
  return body.stats;
}
