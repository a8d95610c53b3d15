import { randomUUID } from 'node:crypto';
import { createMessage, type Message, subjects } from '@pricebook/contracts';
import { markOutboxPublished } from '@pricebook/db';
import { AppError } from '@pricebook/errors';
import type { Logger } from '@pricebook/logger';
import { mergeResolution } from '@pricebook/merge';
import type { AppDeps } from '../context';
import { type FieldError, fieldErrors } from '../errors/handle-error';
import type { Conflict, ResolveRequest } from '../schemas/conflicts';

/**
 * Refuses a resolution that cannot apply to this conflict, naming each bad field: only an
 * unresolved conflict (409 otherwise), `fields`/`values` only with `merge`, `merge` only between
 * two versions, with a choice or a value for every disputed field and no unknown field.
 *
 * @example
 * checkResolution(conflict, { strategy: 'merge', resolvedBy: 'ana', fields: { price: 'local' } });
 */
export function checkResolution(conflict: Conflict, body: ResolveRequest): void {
  if (conflict.status !== 'unresolved') {
    throw new AppError('conflict', `conflict ${conflict.id} is already ${conflict.status}`);
  }
  const errors: FieldError[] = [];
  if (body.strategy !== 'merge') {
    for (const key of ['fields', 'values'] as const) {
      if (body[key] !== undefined)
        errors.push({ path: key, in: 'body', message: 'only with strategy merge' });
    }
  } else if (conflict.conflictType !== 'both_modified' || !conflict.stVersion || !conflict.localVersion) {
    errors.push({
      path: 'strategy',
      in: 'body',
      message: `merge does not apply to a ${conflict.conflictType} conflict`,
    });
  } else {
    const merged = mergeResolution(
      {
        entity: conflict.entityType,
        st: conflict.stVersion,
        local: conflict.localVersion,
        base: conflict.baseVersion,
        fieldDiff: conflict.fieldDiff,
      },
      { fields: body.fields, values: body.values },
    );
    if (!merged.ok) errors.push(...merged.problems.map((p) => ({ ...p, in: 'body' as const })));
  }
  if (errors.length > 0) throw fieldErrors(errors);
}

/**
 * Writes the `resolve.command` into the outbox (one transaction), then publishes it at once under
 * `resolve:<conflictId>:<outbox id>`, the id the outbox relay also gives it, so a crash between
 * the two never loses or doubles the command. Publishing failures are left to the relay.
 *
 * @example
 * const command = await submitResolution(deps, '1001', conflict.id, body, log);
 */
export async function submitResolution(
  deps: Pick<AppDeps, 'orm' | 'publish'>,
  tenantId: string,
  conflictId: string,
  body: ResolveRequest,
  log: Logger,
): Promise<Message<'resolve.command'>> {
  const outboxId = randomUUID();
  const createdAt = new Date();
  const command = createMessage('resolve.command', {
    id: `resolve:${conflictId}:${outboxId}`,
    tenant: tenantId,
    correlationId: conflictId,
    causationId: null,
    occurredAt: createdAt.toISOString(),
    data: { conflictId, ...body },
  });
  await deps.orm.em.fork().execute(
    `insert into pricebook_outbox (id, tenant_id, subject, event_type, payload, correlation_id, created_at)
     values (?, ?, ?, ?, ?::jsonb, ?, ?)`,
    [
      outboxId,
      tenantId,
      subjects.command(tenantId, 'resolve'),
      command.type,
      JSON.stringify(command.data),
      conflictId,
      createdAt,
    ],
  );
  const fields = { conflictId, messageId: command.id, outboxId };
  try {
    await deps.publish(command);
  } catch (err) {
    log.warn({ ...fields, err }, 'resolve command left to the outbox relay');
    return command;
  }
  try {
    await markOutboxPublished(deps.orm.em.fork(), [outboxId]);
  } catch (err) {
    log.warn({ ...fields, err }, 'resolve command published but not marked');
  }
  log.info(fields, 'resolve command published');
  return command;
}
