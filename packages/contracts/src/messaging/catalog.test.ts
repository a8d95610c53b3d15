import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  catalog,
  createMessage,
  type Handlers,
  type Message,
  messageSchema,
  messageSubject,
  parseMessage,
} from './catalog';
import { messageIds } from './envelope';
import { exampleMessages } from './examples';
import { type MessageType, messageTypes } from './subjects';

const subjectOf = (m: Message) => messageSubject(m);

const examples: Message[] = Object.values(exampleMessages);

/** Deep copy with one change at `path`. */
function altered(m: Message, path: string[], value: unknown): Record<string, unknown> {
  const copy: Record<string, unknown> = structuredClone(m);
  let node: Record<string, unknown> = copy;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string, unknown>;
  const last = path.at(-1) ?? '';
  if (value === undefined) delete node[last];
  else node[last] = value;
  return copy;
}

describe('catalog', () => {
  it('has an entry, a stream and a retry policy for every message type', () => {
    for (const type of messageTypes) {
      expect(catalog[type].retry.maxDeliveries).toBeGreaterThan(0);
      expect(catalog[type].retry.backoffMs.length).toBeGreaterThan(0);
    }
    expect(examples.map((m) => m.type).sort()).toEqual([...messageTypes].sort());
  });

  it('accepts every documented example, on its subject', () => {
    for (const m of examples) {
      expect(messageSchema(m.type).parse(m)).toEqual(m);
      const r = parseMessage(subjectOf(m), JSON.parse(JSON.stringify(m)));
      expect(r, m.type).toMatchObject({ success: true, message: { type: m.type } });
    }
  });

  it('accepts the examples in docs/events.md', () => {
    const doc = readFileSync(new URL('../../../../docs/events.md', import.meta.url), 'utf8');
    const blocks = [...doc.matchAll(/```json\n([\s\S]*?)```/g)].map((b) => JSON.parse(b[1] ?? ''));
    const envelopes = blocks.filter((b) => b.version === 1);
    expect(new Set(envelopes.map((b) => b.type))).toEqual(new Set(messageTypes));
    for (const e of envelopes) {
      const r = parseMessage(subjectOf(e), e);
      expect(r.success ? 'ok' : r.detail, e.type).toBe('ok');
    }
  });

  it('keeps unknown fields out but does not reject them (additive .v1)', () => {
    const m = exampleMessages['record.observed'];
    const newer = { ...m, traceId: 'x', data: { ...m.data, page: 3 } };
    const r = parseMessage(subjectOf(m), newer);
    expect(r.success).toBe(true);
    if (r.success) expect(r.message.data).not.toHaveProperty('page');
  });

  const bad: Array<[string, MessageType, string[], unknown]> = [
    ['a missing field', 'record.observed', ['data', 'hash'], undefined],
    ['a bad enum', 'sync.command', ['data', 'resolveConflicts'], 'keep_both'],
    ['a repeated entity type', 'sync.command', ['data', 'entityTypes'], ['materials', 'materials']],
    ['an unknown entity', 'record.decided', ['data', 'entity'], 'widgets'],
    ['a bad action', 'record.decided', ['data', 'action'], 'upsert'],
    ['a negative count', 'sync.fence', ['data', 'published'], -1],
    ['a bad ST timestamp', 'record.observed', ['data', 'modifiedOn'], 'yesterday'],
    ['an operation the type does not carry', 'record.created', ['data', 'operation'], 'updated'],
    ['a bad origin', 'record.updated', ['data', 'origin'], 'robot'],
    ['a status the type does not carry', 'sync.completed', ['data', 'status'], 'failed'],
    ['merge without fields', 'resolve.command', ['data', 'fields'], undefined],
    ['a field that is not camelCase', 'inbound.upsert', ['data', 'record'], { Cost: 1 }],
    ['an empty edit', 'inbound.upsert', ['data', 'record'], {}],
    ['both ids', 'inbound.upsert', ['data', 'recordId'], '0b8e4d1a-5c6f-4e2b-8d9a-7c3b2a1f0e9d'],
    ['no id to delete', 'inbound.delete', ['data', 'recordId'], undefined],
    ['version 2', 'sync.fence', ['version'], 2],
    ['an id with a space', 'sync.fence', ['id'], 'a b'],
    ['a bad tenant', 'sync.fence', ['tenant'], 'acme'],
    ['a bad timestamp', 'sync.fence', ['occurredAt'], '06/12/2025'],
    ['no causation', 'sync.fence', ['causationId'], undefined],
  ];
  it.each(bad)('rejects %s', (_what, type, path, value) => {
    const m = exampleMessages[type];
    const r = parseMessage(subjectOf(m), altered(m, path, value));
    expect(r).toMatchObject({ success: false, reason: 'invalid_payload', type });
  });

  it('rejects payloads that disagree with their subject', () => {
    const m = exampleMessages['record.updated'];
    expect(parseMessage('pricebook.events.1001.materials.deleted.v1', m)).toMatchObject({
      success: false,
      reason: 'subject_mismatch',
    });
    expect(parseMessage('pricebook.events.2002.materials.updated.v1', m)).toMatchObject({
      reason: 'subject_mismatch',
    });
    expect(parseMessage('pricebook.events.1001.services.updated.v1', m)).toMatchObject({
      reason: 'subject_mismatch',
    });
    expect(
      parseMessage('pricebook.events.1001.materials.updated.v1', { ...m, type: 'record.moved' }),
    ).toMatchObject({ reason: 'unknown_type' });
    expect(parseMessage('pricebook.events.1001.materials.updated.v1', 'hello')).toMatchObject({
      reason: 'unknown_type',
    });
    expect(parseMessage('pricebook.events.1001.materials.moved.v1', m)).toMatchObject({
      reason: 'unknown_subject',
    });
  });

  it('builds messages with defaults applied', () => {
    const syncLogId = '6f1c2b7e-8a43-4c2d-9a57-3f0e1d2c4b5a';
    const m = createMessage('sync.command', {
      id: messageIds.syncCommand(syncLogId),
      tenant: 1001,
      correlationId: syncLogId,
      data: { syncLogId, fullSync: true },
    });
    expect(m).toMatchObject({
      id: `sync:${syncLogId}`,
      tenant: '1001',
      version: 1,
      causationId: null,
      data: {
        direction: 'from_st',
        entityTypes: ['categories', 'materials', 'services', 'equipment'],
        resolveConflicts: 'manual',
        dryRun: false,
      },
    });
    expect(() =>
      createMessage('sync.fence', {
        id: 'x',
        tenant: '1001',
        correlationId: syncLogId,
        data: { syncLogId, entity: 'materials', published: 1.5, errors: 0 },
      }),
    ).toThrow();
  });

  it('normalises ST timestamps so ids derived from them are stable', () => {
    const m = exampleMessages['record.observed'];
    const r = messageSchema('record.observed').parse(
      altered(m, ['data', 'modifiedOn'], '2025-12-05T18:22:10.1234567Z'),
    );
    expect(r.data.modifiedOn).toBe('2025-12-05T18:22:10.1234567Z');
    const coarse = messageSchema('record.observed').parse(
      altered(m, ['data', 'modifiedOn'], '2025-12-05T18:22:10Z'),
    );
    expect(coarse.data.modifiedOn).toBe('2025-12-05T18:22:10.0000000Z');
  });

  it('makes a handler map exhaustive', async () => {
    const seen: string[] = [];
    const handlers: Handlers<'record.decided' | 'sync.fence'> = {
      'record.decided': (m) => {
        seen.push(m.data.action);
      },
      'sync.fence': (m) => {
        seen.push(String(m.data.published));
      },
    };
    // @ts-expect-error a map without a handler for 'sync.fence' does not compile
    const missing: Handlers<'record.decided' | 'sync.fence'> = { 'record.decided': () => undefined };
    expect(missing).toBeDefined();
    await handlers['record.decided'](exampleMessages['record.decided']);
    await handlers['sync.fence'](exampleMessages['sync.fence']);
    expect(seen).toEqual(['update', '1200']);
  });
});
