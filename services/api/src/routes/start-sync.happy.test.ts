import { consumers, createMessage, messageIds, parseMessage, subjects } from '@pricebook/contracts';
import { publish } from '@pricebook/messaging';
import { forFile } from '@pricebook/testing/vitest';
import { describe, expect, it } from 'vitest';
import { call, keys, startHarness } from '../test-support';

const h = forFile(() => startHarness({ nats: true }));

const decoder = new TextDecoder();

/** Takes the next command off the stream as the fetcher would (its durable consumer), and acks it. */
async function takeCommand() {
  const js = h.nats?.js;
  if (!js) throw new Error('harness without nats');
  const consumer = await js.consumers.get(consumers.fetcher.stream, consumers.fetcher.name);
  const msg = await consumer.next({ expires: 10_000 });
  if (!msg) throw new Error('no command on PRICEBOOK_COMMANDS');
  msg.ack();
  return {
    subject: msg.subject,
    msgId: msg.headers?.get('Nats-Msg-Id'),
    payload: JSON.parse(decoder.decode(msg.data)),
  };
}

describe('POST /api/sync/pricebook/full', () => {
  it('answers 202 with Location, and leaves the log, the run locks and a published outbox command', async () => {
    const tenant = h.tenant();
    const app = h.app({ tenantId: tenant });
    const res = await call(app, 'POST', '/api/sync/pricebook/full', {
      key: keys.operator,
      body: { resolveConflicts: 'keep_st', entityTypes: ['materials', 'categories'] },
    });

    expect(res.status).toBe(202);
    const syncLogId = String(res.body.syncLogId);
    expect(res.body).toEqual({ success: true, syncLogId, status: 'queued' });
    expect(res.headers.get('location')).toBe(`/api/sync/pricebook/logs/${syncLogId}`);

    const [log] = await h.sql('select * from pricebook_sync_log where id = ?', [syncLogId]);
    expect(log).toMatchObject({
      tenant_id: tenant,
      sync_type: 'full',
      direction: 'from_st',
      status: 'queued',
      dry_run: false,
      triggered_by: expect.stringMatching(/^api:operator:[0-9a-f]{12}$/),
    });
    expect(JSON.stringify(log)).not.toContain(keys.operator);

    const runs = await h.sql<{ entity_type: string }>(
      'select entity_type from pricebook_sync_runs where sync_log_id = ? order by entity_type',
      [syncLogId],
    );
    expect(runs.map((r) => r.entity_type)).toEqual(['categories', 'materials']);

    const outbox = await h.sql<{ id: string; published_at: unknown; subject: string; event_type: string }>(
      'select id, published_at, subject, event_type from pricebook_outbox where correlation_id = ?',
      [syncLogId],
    );
    expect(outbox).toHaveLength(1);
    expect(outbox[0]?.published_at).not.toBeNull();
    expect(outbox[0]).toMatchObject({
      subject: subjects.command(tenant, 'sync'),
      event_type: 'sync.command',
    });

    const command = await takeCommand();
    expect(command.subject).toBe(`pricebook.cmd.${tenant}.sync.v1`);
    // Every publisher of a sync command derives this id, so a repeat is a JetStream duplicate.
    expect(command.msgId).toBe(messageIds.syncCommand(syncLogId));
    const parsed = parseMessage(command.subject, command.payload);
    if (!parsed.success) throw new Error(parsed.detail);
    expect(parsed.message).toMatchObject({
      id: `sync:${syncLogId}`,
      type: 'sync.command',
      tenant,
      correlationId: syncLogId,
      causationId: null,
      data: {
        syncLogId,
        direction: 'from_st',
        entityTypes: ['categories', 'materials'],
        fullSync: true,
        resolveConflicts: 'keep_st',
        dryRun: false,
      },
    });
  });

  it('accepts no body at all, as the original curl examples do, with every default', async () => {
    const tenant = h.tenant();
    const res = await call(h.app({ tenantId: tenant }), 'POST', '/api/sync/pricebook/full', {
      key: keys.admin,
    });
    expect(res.status).toBe(202);
    const command = await takeCommand();
    expect(command.payload.data).toMatchObject({
      syncLogId: res.body.syncLogId,
      entityTypes: ['categories', 'materials', 'services', 'equipment'],
      resolveConflicts: 'manual',
      fullSync: true,
    });
  });

  it('is the same message the outbox relay would send, so a relay repeat is a JetStream duplicate', async () => {
    const tenant = h.tenant();
    const res = await call(h.app({ tenantId: tenant }), 'POST', '/api/sync/pricebook/full', {
      key: keys.operator,
      body: { entityTypes: ['services'], dryRun: true, allowMassDelete: true },
    });
    expect(res.status).toBe(202);
    const [row] = await h.sql<{
      id: string;
      tenant_id: string;
      event_type: string;
      payload: Record<string, unknown>;
      correlation_id: string;
      created_at: string;
    }>(
      'select id, tenant_id::text, event_type, payload, correlation_id, created_at from pricebook_outbox where correlation_id = ?',
      [res.body.syncLogId],
    );
    if (row?.event_type !== 'sync.command') throw new Error('no sync.command outbox row');
    // The relay's envelope of the row: the command's id, type = event_type, data = payload.
    const relayed = createMessage('sync.command', {
      id: messageIds.syncCommand(row.correlation_id),
      tenant: row.tenant_id,
      correlationId: row.correlation_id,
      occurredAt: new Date(row.created_at).toISOString(),
      data: row.payload as Parameters<typeof createMessage<'sync.command'>>[1]['data'],
    });
    const js = h.nats?.js;
    if (!js) throw new Error('harness without nats');
    const result = await publish(js, relayed);
    expect(result.duplicate).toBe(true);
    const command = await takeCommand();
    expect(command.payload.data).toMatchObject({
      dryRun: true,
      allowMassDelete: true,
      entityTypes: ['services'],
    });
  });
});

describe('POST /api/sync/pricebook/incremental', () => {
  it('carries the export tokens saved for the requested entities', async () => {
    const tenant = h.tenant();
    await h.sql(
      `insert into pricebook_sync_state (tenant_id, entity_type, export_token) values (?, 'materials', 'tok-42')`,
      [tenant],
    );
    const res = await call(h.app({ tenantId: tenant }), 'POST', '/api/sync/pricebook/incremental', {
      key: keys.operator,
      body: { entityTypes: ['materials', 'equipment'], direction: 'bidirectional' },
    });
    expect(res.status).toBe(202);
    const [log] = await h.sql('select sync_type, direction from pricebook_sync_log where id = ?', [
      res.body.syncLogId,
    ]);
    expect(log).toEqual({ sync_type: 'incremental', direction: 'bidirectional' });
    const command = await takeCommand();
    expect(command.payload.data).toMatchObject({
      fullSync: false,
      entityTypes: ['materials', 'equipment'],
      exportTokens: { materials: 'tok-42' },
    });
  });
});

describe('when NATS does not take the command', () => {
  it('still answers 202 and leaves the outbox row for the relay', async () => {
    const tenant = h.tenant();
    const app = h.app({
      tenantId: tenant,
      publish: async () => {
        throw new Error('nats down');
      },
    });
    const res = await call(app, 'POST', '/api/sync/pricebook/incremental', { key: keys.operator });
    expect(res.status).toBe(202);
    const outbox = await h.sql<{ published_at: unknown }>(
      'select published_at from pricebook_outbox where correlation_id = ?',
      [res.body.syncLogId],
    );
    expect(outbox).toEqual([{ published_at: null }]);
    expect(
      h.lines.some(
        (l) => l.msg === 'sync command left to the outbox relay' && l.syncLogId === res.body.syncLogId,
      ),
    ).toBe(true);
  });
});
