import { randomUUID } from 'node:crypto';
import type { EntityType } from '@pricebook/contracts';
import { applyLocalEdit, type LocalEdit, type LocalEditResult } from '@pricebook/db';
import { AppError } from '@pricebook/errors';
import type { Context } from 'hono';
import { requestTenant } from '../auth/resolve-tenant';
import type { AppEnv, RouteDeps } from '../context';
import { fieldErrors } from '../errors/handle-error';

const versionTag = /^(?:W\/)?"?([0-9]{1,9})"?$/;

/**
 * The `If-Match` header as a row version: `"4"`, `4` or `W/"4"`; absent → undefined. Anything
 * else is a 400, since a conditional write that cannot be checked must not run unconditionally.
 *
 * @example
 * expectedVersion('"4"'); // 4
 */
export function expectedVersion(header: string | undefined): number | undefined {
  if (header === undefined || header.trim() === '') return undefined;
  const match = versionTag.exec(header.trim());
  if (!match?.[1]) {
    throw fieldErrors([{ path: 'If-Match', in: 'header', message: 'expected the row version, e.g. "4"' }]);
  }
  return Number(match[1]);
}

/** The row version as an entity tag, so a client can echo it in `If-Match`. */
export const etag = (version: number) => `"${version}"`;

/**
 * Runs one local edit in its own transaction, marked `local` with the key's label as actor, so
 * the triggers audit it, announce it and mark it `pending_sync`; it is a change-set of its own
 * (kind `edit`).
 *
 * @example
 * const { row } = await writeLocalEdit(c, deps, 'materials', { op: 'delete', ref: { id } });
 */
export async function writeLocalEdit(
  c: Context<AppEnv>,
  deps: RouteDeps,
  entity: EntityType,
  edit: LocalEdit,
): Promise<LocalEditResult> {
  const principal = c.get('principal');
  // The guard ran before the handler; without a principal the route was wired wrongly.
  if (!principal) throw new AppError('unauthorized', 'an API key is required: Authorization: Bearer <key>');
  return deps.orm.em.fork().transactional((em) =>
    applyLocalEdit(em, {
      tenantId: requestTenant(c).tenantId,
      entity,
      origin: 'local',
      actor: `api:${principal.label}`,
      changeSet: { id: randomUUID(), kind: 'edit' },
      edit,
    }),
  );
}
