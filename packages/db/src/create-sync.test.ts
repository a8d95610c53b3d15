import { messageIds, messageSchema, parseMessage, subjects } from '@pricebook/contracts';
import { AppError } from '@pricebook/errors';
import { describe, expect, it } from 'vitest';
import { type CreateSyncInput, createSync } from './create-sync';
import { databaseForFile } from './test-support';

const t = databaseForFile();

// Each test uses its own tenant, so the run locks of one never meet another's.
let nextTenant = 7000;
const tenant = () => String(nextTenant++);
const staleAfterMs = 600_000;

function input(tenantId: string, overrides: Partial<CreateSyncInput> = {}): CreateSyncInput {
  return { tenantId, syncType: 'full', staleAfterMs, ...overrides };
}

async function conflictOf(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof AppError)) throw new Error(`expected an AppError, got ${String(error)}`);
  return error;
}

describe('createSync', () => {
  it('writes the queued log, every run lock and the command into the outbox, in one go', async () => {
    const tenantId = tenant();
    const created = await createSync(t.orm.em.fork(), {
      ...input(tenantId),
      options: {
        entityTypes: ['materials', 'categories'],
        resolveConflicts: 'keep_st',
        direction: 'bidirectional',
        allowMassDelete: true,
      },
      triggeredBy: 'api:operator:abcd1234',
    });

    const [log] = await t.sql<Record<string, unknown>>('select * from pricebook_sync_log where id = ?', [
      created.syncLogId,
    ]);
    expect(log).toMatchObject({
      tenant_id: tenantId,
      sync_type: 'full',
      direction: 'bidirectional',
      status: 'queued',
      dry_run: false,
      triggered_by: 'api:operator:abcd1234',
      options: {
        direction: 'bidirectional',
        entityTypes: ['categories', 'materials'],
        fullSync: true,
        resolveConflicts: 'keep_st',
        dryRun: false,
        allowMassDelete: true,
      },
    });

    const runs = await t.sql<{ entity_type: string; sync_log_id: string }>(
      'select entity_type, sync_log_id from pricebook_sync_runs where tenant_id = ? order by entity_type',
      [tenantId],
    );
    expect(runs).toEqual([
      { entity_type: 'categories', sync_log_id: created.syncLogId },
      { entity_type: 'materials', sync_log_id: created.syncLogId },
    ]);

    const outbox = await t.sql<Record<string, unknown>>(
      'select id, subject, event_type, payload, correlation_id, published_at from pricebook_outbox where tenant_id = ?',
      [tenantId],
    );
    expect(outbox).toHaveLength(1);
    expect(outbox[0]).toMatchObject({
      id: created.outboxId,
      subject: subjects.command(tenantId, 'sync'),
      event_type: 'sync.command',
      correlation_id: created.syncLogId,
      published_at: null,
    });
    expect(outbox[0]?.payload).toEqual(created.command.data);

    // The envelope the relay rebuilds from the row (type = event_type, data = payload) parses.
    const relayed = parseMessage(String(outbox[0]?.subject), {
      ...created.command,
      type: outbox[0]?.event_type,
      data: outbox[0]?.payload,
    });
    expect(relayed.success).toBe(true);
    expect(messageSchema('sync.command').parse(created.command)).toEqual(created.command);
    expect(created.command).toMatchObject({
      id: messageIds.syncCommand(created.syncLogId),
      tenant: tenantId,
      correlationId: created.syncLogId,
      causationId: null,
      data: {
        syncLogId: created.syncLogId,
        fullSync: true,
        entityTypes: ['categories', 'materials'],
        requestedBy: 'api:operator:abcd1234',
      },
    });
    expect(created.command.data.exportTokens).toBeUndefined();
  });

  it('applies the spec defaults: from_st, every entity, manual, not a dry run', async () => {
    const created = await createSync(t.orm.em.fork(), input(tenant(), { syncType: 'incremental' }));
    expect(created.command.data).toMatchObject({
      direction: 'from_st',
      entityTypes: ['categories', 'materials', 'services', 'equipment'],
      fullSync: false,
      resolveConflicts: 'manual',
      dryRun: false,
    });
  });

  it('hands an incremental sync the export tokens of the requested entities only', async () => {
    const tenantId = tenant();
    await t.sql(
      `insert into pricebook_sync_state (tenant_id, entity_type, export_token) values
         (?, 'materials', 'tok-m'), (?, 'services', 'tok-s'), (?, 'categories', null)`,
      [tenantId, tenantId, tenantId],
    );
    const options = { entityTypes: ['categories' as const, 'materials' as const] };
    const incremental = await createSync(
      t.orm.em.fork(),
      input(tenantId, { syncType: 'incremental', options }),
    );
    expect(incremental.command.data.exportTokens).toEqual({ materials: 'tok-m' });

    const other = tenant();
    await t.sql(
      `insert into pricebook_sync_state (tenant_id, entity_type, export_token) values (?, 'materials', 'x')`,
      [other],
    );
    const full = await createSync(t.orm.em.fork(), input(other, { options }));
    expect(full.command.data.exportTokens).toBeUndefined();
  });

  it('refuses an entity another live sync holds, naming it, and writes nothing', async () => {
    const tenantId = tenant();
    const first = await createSync(
      t.orm.em.fork(),
      input(tenantId, { options: { entityTypes: ['materials'] } }),
    );
    const error = await conflictOf(
      createSync(t.orm.em.fork(), input(tenantId, { options: { entityTypes: ['categories', 'materials'] } })),
    );
    expect(error.code).toBe('conflict');
    expect(error.details).toEqual({ runningSyncLogId: first.syncLogId, entityType: 'materials' });

    const logs = await t.sql('select id from pricebook_sync_log where tenant_id = ?', [tenantId]);
    expect(logs).toHaveLength(1);
    const runs = await t.sql<{ entity_type: string }>(
      'select entity_type from pricebook_sync_runs where tenant_id = ?',
      [tenantId],
    );
    expect(runs.map((r) => r.entity_type)).toEqual(['materials']);
    const outbox = await t.sql('select id from pricebook_outbox where tenant_id = ?', [tenantId]);
    expect(outbox).toHaveLength(1);
  });

  it('accepts another entity of the same tenant, and the same entity of another tenant', async () => {
    const tenantId = tenant();
    await createSync(t.orm.em.fork(), input(tenantId, { options: { entityTypes: ['materials'] } }));
    await expect(
      createSync(t.orm.em.fork(), input(tenantId, { options: { entityTypes: ['services'] } })),
    ).resolves.toMatchObject({ syncLogId: expect.any(String) });
    await expect(
      createSync(t.orm.em.fork(), input(tenant(), { options: { entityTypes: ['materials'] } })),
    ).resolves.toMatchObject({ syncLogId: expect.any(String) });
  });

  it('takes over the lock of a sync whose heartbeat went stale', async () => {
    const tenantId = tenant();
    const crashed = await createSync(
      t.orm.em.fork(),
      input(tenantId, { options: { entityTypes: ['services'] } }),
    );
    await t.sql(
      `update pricebook_sync_runs set heartbeat_at = now() - interval '1 hour' where sync_log_id = ?`,
      [crashed.syncLogId],
    );
    const next = await createSync(
      t.orm.em.fork(),
      input(tenantId, { options: { entityTypes: ['services'] } }),
    );
    const [run] = await t.sql<{ sync_log_id: string }>(
      `select sync_log_id from pricebook_sync_runs where tenant_id = ? and entity_type = 'services'`,
      [tenantId],
    );
    expect(run?.sync_log_id).toBe(next.syncLogId);
  });

  it('lets exactly one of two simultaneous requests for the same entities through', async () => {
    const tenantId = tenant();
    const results = await Promise.allSettled([
      createSync(t.orm.em.fork(), input(tenantId, { options: { entityTypes: ['materials', 'services'] } })),
      createSync(t.orm.em.fork(), input(tenantId, { options: { entityTypes: ['services', 'materials'] } })),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const rejected = results.find((r) => r.status === 'rejected');
    expect(rejected?.status === 'rejected' && rejected.reason).toBeInstanceOf(AppError);
    expect(rejected?.status === 'rejected' && (rejected.reason as AppError).code).toBe('conflict');
  });

  it('refuses invalid options before touching the database', async () => {
    const tenantId = tenant();
    const error = await conflictOf(
      createSync(
        t.orm.em.fork(),
        // A caller outside TypeScript (the scheduler's config, a script) can still send this.
        input(tenantId, { options: JSON.parse('{"entityTypes": ["widgets"]}') }),
      ),
    );
    expect(error.code).toBe('validation_failed');
    expect(JSON.stringify(error.details)).toContain('entityTypes.0');
    const logs = await t.sql('select id from pricebook_sync_log where tenant_id = ?', [tenantId]);
    expect(logs).toHaveLength(0);
  });
});
