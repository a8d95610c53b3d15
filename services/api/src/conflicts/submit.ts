import { randomUUID } from 'node:crypto';
import {
  type Conflict,
  checkMergeValues,
  createMessage,
  type Message,
  messageIds,
  type ResolveRequest,
  subjects,
} from '@pricebook/contracts';
import { AppError } from '@pricebook/errors';
import type { Logger } from '@pricebook/logger';
import { mergeResolution } from '@pricebook/merge';
import { publishNow } from '@pricebook/outbox';
import type { AppDeps } from '../context';
import { type FieldError, fieldErrors } from '../errors/handle-error';

/** A resolution the applier carries out: every strategy but `manual`, which stays in the API. */
export type CommandResolution = Omit<ResolveRequest, 'strategy' | 'note'> & {
  strategy: Exclude<ResolveRequest['strategy'], 'manual'>;
};

/** What a checked resolution asks for: a note on the open conflict, or a command for the applier. */
export type CheckedResolution =
  | { kind: 'manual'; reviewedBy: string; note: string | undefined }
  | { kind: 'command'; resolution: CommandResolution };

/**
 * Refuses a resolution that cannot apply to this conflict, naming each bad field: only an
 * unresolved conflict (409 otherwise), `fields`/`values` only with `merge`, `note` only with
 * `manual`, `merge` only between two versions, with a choice or a value for every disputed
 * field, no unknown field, and typed values the entity's PATCH accepts (`checkMergeValues`:
 * types, ranges, no NUL, no read-only field). Returns what to do, with the values normalised
 * as the schema parses them.
 *
 * @example
 * checkResolution(conflict, { strategy: 'merge', resolvedBy: 'ana', fields: { price: 'local' } });
 */
export function checkResolution(conflict: Conflict, body: ResolveRequest): CheckedResolution {
  if (conflict.status !== 'unresolved') {
    throw new AppError('conflict', `conflict ${conflict.id} is already ${conflict.status}`);
  }
  const errors: FieldError[] = [];
  const refuse = (path: string, message: string) => errors.push({ path, in: 'body', message });
  if (body.strategy !== 'merge') {
    for (const key of ['fields', 'values'] as const) {
      if (body[key] !== undefined) refuse(key, 'only with strategy merge');
    }
  }
  if (body.strategy !== 'manual' && body.note !== undefined) refuse('note', 'only with strategy manual');
  let values = body.values;
  if (body.strategy === 'merge') {
    if (conflict.conflictType !== 'both_modified' || !conflict.stVersion || !conflict.localVersion) {
      refuse('strategy', `merge does not apply to a ${conflict.conflictType} conflict`);
    } else {
      const checked = checkMergeValues(conflict.entityType, body.values);
      if (checked.ok) values = body.values === undefined ? undefined : checked.values;
      else for (const p of checked.problems) refuse(p.path, p.message);
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
      const named = new Set(errors.map((e) => e.path));
      if (!merged.ok) for (const p of merged.problems) if (!named.has(p.path)) refuse(p.path, p.message);
    }
  }
  if (errors.length > 0) throw fieldErrors(errors);
  const { strategy, note, ...rest } = body;
  if (strategy === 'manual') return { kind: 'manual', reviewedBy: body.resolvedBy, note };
  return {
    kind: 'command',
    resolution: { ...rest, strategy, ...(values === undefined ? {} : { values }) },
  };
}

/**
 * Writes the `resolve.command` into the outbox (one transaction), then publishes it at once under
 * `messageIds.resolveCommand` (conflict and outbox row), the id the outbox relay also gives it, so a crash between
 * the two never loses or doubles the command. Publishing failures are left to the relay.
 *
 * @example
 * const command = await submitResolution(deps, '1001', conflict.id, body, log);
 */
export async function submitResolution(
  deps: Pick<AppDeps, 'orm' | 'publish'>,
  tenantId: string,
  conflictId: string,
  body: CommandResolution,
  log: Logger,
): Promise<Message<'resolve.command'>> {
  const outboxId = randomUUID();
  const createdAt = new Date();
  const command = createMessage('resolve.command', {
    id: messageIds.resolveCommand({ conflictId, outboxId }),
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
  if (await publishNow(deps, command, outboxId, log.child({ conflictId }))) {
    log.info({ conflictId, messageId: command.id, outboxId }, 'resolve command published');
  }
  return command;
}
