import { type EntityType, entityTypes, type StRecordOf, stRecordSchemas } from '@pricebook/contracts';
import type { SandboxItem, StartedSandbox } from '@pricebook/testing';
import { StClient, type StClientOptions } from './client';
import type { StListPage } from './pagination';

/** Test-only helpers for the sandbox integration tests (not exported by the package). */

export { entityTypes };

/** A client for a started sandbox; each test file's tenant gets the process-wide limiter. */
export function sandboxClient(sb: StartedSandbox, extra: Partial<StClientOptions> = {}): StClient {
  return new StClient({
    baseUrl: sb.baseUrl,
    authUrl: sb.authUrl,
    tenantId: sb.tenantId,
    clientId: sb.clientId,
    clientSecret: sb.clientSecret,
    appKey: sb.appKey,
    ...extra,
  });
}

/** Every page of a list, collected. */
export async function collectList<E extends EntityType>(
  client: StClient,
  entity: E,
): Promise<{ records: StRecordOf<E>[]; pages: StListPage<E>[] }> {
  const pages: StListPage<E>[] = [];
  for await (const page of client.list(entity)) pages.push(page);
  return { records: pages.flatMap((p) => p.records), pages };
}

/** The sandbox's raw item as the API record it stands for (its bookkeeping removed), parsed. */
export function parseSandboxItem<E extends EntityType>(entity: E, item: SandboxItem): StRecordOf<E> {
  const { deleted: _deleted, externalDataByApp: _external, ...record } = item;
  return stRecordSchemas[entity].parse(record) as StRecordOf<E>;
}

/** Ids that occur more than once. */
export function duplicates(ids: readonly number[]): number[] {
  const seen = new Set<number>();
  const dup = new Set<number>();
  for (const id of ids) (seen.has(id) ? dup : seen).add(id);
  return [...dup];
}
