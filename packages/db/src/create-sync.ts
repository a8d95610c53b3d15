import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import {
  createMessage,
  type EntityType,
  entityTypes,
  type Message,
  type MessageDataInput,
  messageIds,
  SyncCommandData,
  subjects,
} from '@pricebook/contracts';
import { AppError } from '@pricebook/errors';
import { queueSync } from './sync-life-cycle/create';
import { acquireSyncRun } from './sync-runs';

/** The caller's sync options: the original spec's, less what `createSync` decides itself. */
export type SyncRequestOptions = Omit<
  MessageDataInput<'sync.command'>,
  'syncLogId' | 'fullSync' | 'exportTokens' | 'requestedBy'
>;

export interface CreateSyncInput {
  tenantId: string;
  syncType: 'full' | 'incremental';
  options?: SyncRequestOptions;
  /** Who asked (an API key's label, `scheduler`…); stored as `triggered_by` and `requestedBy`. */
  triggeredBy?: string;
  /** A run lock whose heartbeat is older than this belongs to a crashed sync and is taken over. */
  staleAfterMs: number;
}

export interface CreatedSync {
  syncLogId: string;
  /** The outbox row holding the command (mark it published after publishing `command`). */
  outboxId: string;
  /**
   * The command exactly as the outbox relay would publish it: message id `sync:<syncLogId>`
   * (`messageIds.syncCommand`), so the API's publish and a relay catch-up are one JetStream message.
   */
  command: Message<'sync.command'>;
  createdAt: Date;
}

/** Run locks are always taken in this order, so two concurrent requests cannot deadlock. */
const canonicalOrder = (list: readonly EntityType[]) => entityTypes.filter((e) => list.includes(e));

function commandData(input: CreateSyncInput, syncLogId: string): SyncCommandData {
  const parsed = SyncCommandData.safeParse({
    ...input.options,
    syncLogId,
    fullSync: input.syncType === 'full',
    requestedBy: input.triggeredBy,
  });
  if (!parsed.success) {
    const errors = parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
    throw new AppError('validation_failed', 'invalid sync options', { details: { errors } });
  }
  return { ...parsed.data, entityTypes: canonicalOrder(parsed.data.entityTypes) };
}

async function runningHolder(em: EntityManager, tenantId: string, entityType: EntityType) {
  const rows = await em.execute<{ sync_log_id: string }[]>(
    'select sync_log_id from pricebook_sync_runs where tenant_id = ? and entity_type = ?',
    [tenantId, entityType],
  );
  return rows[0]?.sync_log_id;
}

async function lockEntities(em: EntityManager, input: CreateSyncInput, data: SyncCommandData) {
  for (const entityType of data.entityTypes) {
    const key = { tenantId: input.tenantId, entityType, syncLogId: data.syncLogId };
    // A holder may finish between the failed take and the look-up; then simply try again.
    for (let attempt = 0; ; attempt++) {
      if (await acquireSyncRun(em, key, input.staleAfterMs)) break;
      const runningSyncLogId = await runningHolder(em, input.tenantId, entityType);
      if (runningSyncLogId !== undefined || attempt >= 2) {
        const which = runningSyncLogId === undefined ? '' : ` (sync ${runningSyncLogId})`;
        throw new AppError('conflict', `a sync of ${entityType} is already running${which}`, {
          details: { runningSyncLogId, entityType },
        });
      }
    }
  }
}

async function exportTokens(em: EntityManager, tenantId: string, entities: readonly EntityType[]) {
  const rows = await em.execute<{ entity_type: EntityType; export_token: string }[]>(
    `select entity_type, export_token from pricebook_sync_state
      where tenant_id = ? and export_token is not null and export_token <> ''
        and entity_type in (select jsonb_array_elements_text(?::jsonb))`,
    [tenantId, JSON.stringify(entities)],
  );
  return Object.fromEntries(rows.map((r) => [r.entity_type, r.export_token]));
}

/**
 * Creates one sync in one transaction: the `queued` sync log row, the run lock of every
 * requested entity, and the `sync.command` in the outbox (with each entity's export token for an
 * incremental sync, read under the lock). Publish `command` after this returns and mark the outbox
 * row; if that never happens, the outbox relay publishes it under the same message id.
 *
 * Throws `AppError('conflict')` (nothing written) when another live sync holds an entity, with
 * `details.runningSyncLogId` and `details.entityType`; `AppError('validation_failed')` for bad options.
 *
 * @example
 * const { syncLogId, command, outboxId } = await createSync(orm.em.fork(), {
 *   tenantId: '1001', syncType: 'incremental', options: { entityTypes: ['materials'] },
 *   triggeredBy: 'scheduler', staleAfterMs: 600_000,
 * });
 */
export async function createSync(em: EntityManager, input: CreateSyncInput): Promise<CreatedSync> {
  const syncLogId = randomUUID();
  const outboxId = randomUUID();
  const data = commandData(input, syncLogId);
  return em.transactional(async (tx) => {
    const options = {
      direction: data.direction,
      entityTypes: data.entityTypes,
      fullSync: data.fullSync,
      resolveConflicts: data.resolveConflicts,
      dryRun: data.dryRun,
      ...(data.allowMassDelete === undefined ? {} : { allowMassDelete: data.allowMassDelete }),
      ...(data.allowMassChange === undefined ? {} : { allowMassChange: data.allowMassChange }),
      ...(data.stIds === undefined ? {} : { stIds: data.stIds }),
    };
    const { createdAt } = await queueSync(tx, {
      id: syncLogId,
      tenantId: input.tenantId,
      syncType: input.syncType,
      direction: data.direction,
      options,
      dryRun: data.dryRun,
      triggeredBy: input.triggeredBy ?? null,
    });
    await lockEntities(tx, input, data);
    // A targeted sync reads by id: it neither needs nor moves the export positions.
    const tokens =
      input.syncType === 'incremental' && !data.stIds
        ? await exportTokens(tx, input.tenantId, data.entityTypes)
        : {};
    const command = createMessage('sync.command', {
      id: messageIds.syncCommand(syncLogId),
      tenant: input.tenantId,
      correlationId: syncLogId,
      causationId: null,
      occurredAt: createdAt.toISOString(),
      data: Object.keys(tokens).length > 0 ? { ...data, exportTokens: tokens } : data,
    });
    await tx.execute(
      `insert into pricebook_outbox (id, tenant_id, subject, event_type, payload, correlation_id, created_at)
       values (?, ?, ?, ?, ?::jsonb, ?, ?)`,
      [
        outboxId,
        input.tenantId,
        subjects.command(input.tenantId, 'sync'),
        command.type,
        JSON.stringify(command.data),
        syncLogId,
        createdAt,
      ],
    );
    return { syncLogId, outboxId, command, createdAt };
  });
}
