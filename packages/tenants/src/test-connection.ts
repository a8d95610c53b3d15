import type { TenantConnectionTest } from '@pricebook/contracts';
import type { Orm } from '@pricebook/db';
import { AppError } from '@pricebook/errors';
import type { Logger } from '@pricebook/logger';
import type { TenantConnection } from './directory';
import { stClientFor } from './st-clients';

/** A test answers within seconds: two tries, then the reason. */
const testRetry = { maxAttempts: 2, maxTotalMs: 10_000 };

/**
 * "Test connection": one token, then one page of one material, and which step failed with
 * ServiceTitan's status and reason (never a credential). Retries are the client's own, so a
 * ServiceTitan outage still ends in an answer rather than a hung request.
 *
 * @example
 * const test = await testConnection(() => tenants.connection('1001'), { orm, log });
 */
export async function testConnection(
  connection: () => Promise<TenantConnection>,
  deps: { orm: Orm; log: Logger },
): Promise<TenantConnectionTest> {
  const started = performance.now();
  const result = (
    ok: boolean,
    step: TenantConnectionTest['step'],
    status: number | null,
    detail: string,
  ) => ({
    ok,
    step,
    status,
    detail,
    durationMs: Math.round(performance.now() - started),
  });
  let st: ReturnType<typeof stClientFor>;
  try {
    st = stClientFor(await connection(), deps, testRetry);
  } catch (error) {
    return result(false, 'credentials', null, messageOf(error));
  }
  try {
    const pages = st.list('materials', { pageSize: 1 });
    const first = await pages.next();
    await pages.return(undefined);
    const count = first.done ? 0 : first.value.records.length + first.value.invalid.length;
    return result(true, 'read', 200, `read ${count} material${count === 1 ? '' : 's'} from page 1`);
  } catch (error) {
    const details = error instanceof AppError ? error.details : undefined;
    const step = details?.operation === 'auth.token' ? 'token' : 'read';
    const status = typeof details?.status === 'number' ? details.status : null;
    return result(false, step, status, messageOf(error));
  }
}

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));
