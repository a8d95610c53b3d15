import { randomUUID } from 'node:crypto';
import { messageSchema, stRecordSchemas } from '@pricebook/contracts';
import type { StInvalidRecord } from '@pricebook/st-client';
import { describe, expect, it } from 'vitest';
import { invalidRecordVersion, observedMessage, quarantineMessage, type SyncScope } from './messages';

const scope: SyncScope = { tenant: '1000001', syncLogId: randomUUID(), commandId: 'sync:x' };

function invalid(raw: unknown, id?: number): StInvalidRecord {
  return { entity: 'materials', index: 0, id, raw, reason: 'price: expected number', issues: [] };
}

describe('quarantineMessage', () => {
  it('keys a record without a usable id by its content and sends stId 0', () => {
    for (const entry of [invalid({ code: 'X', price: 'free' }), invalid({ id: -5, code: 'Y' }, -5)]) {
      const m = quarantineMessage(scope, 'materials', entry);
      expect(m.data.stId).toBe(0);
      expect(m.data.invalid?.key).toMatch(/^invalid:[0-9a-f]{32}$/);
      expect(m.data.modifiedOn).toBeUndefined();
      expect(m.id).toBe(
        `${scope.syncLogId}:materials:${m.data.invalid?.key}:${invalidRecordVersion(entry).version}:decided`,
      );
    }
  });

  it('keys a record with an id by the id and its readable modifiedOn', () => {
    const m = quarantineMessage(
      scope,
      'materials',
      invalid({ id: 42, modifiedOn: '2025-01-02T03:04:05Z' }, 42),
    );
    expect(m.data).toMatchObject({
      stId: 42,
      action: 'quarantine',
      modifiedOn: '2025-01-02T03:04:05.0000000Z',
      invalid: { key: '42' },
    });
    expect(m.id).toBe(`${scope.syncLogId}:materials:42:2025-01-02T03:04:05.0000000Z:decided`);
  });

  it('gives the same id to a repeated row and a different one to a changed row', () => {
    const a = quarantineMessage(scope, 'materials', invalid({ id: 42, price: 'free' }, 42));
    const b = quarantineMessage(scope, 'materials', invalid({ price: 'free', id: 42 }, 42));
    const c = quarantineMessage(scope, 'materials', invalid({ id: 42, price: 'gratis' }, 42));
    expect(a.id).toBe(b.id);
    expect(c.id).not.toBe(a.id);
  });

  it('wraps a raw value that is not an object so it is kept', () => {
    const m = quarantineMessage(scope, 'materials', invalid(['not', 'a', 'record']));
    expect(m.data.record).toEqual({ value: ['not', 'a', 'record'] });
  });
});

describe('observedMessage', () => {
  it('builds exactly what the catalog would make of it, deleted flag included', () => {
    const record = stRecordSchemas.categories.parse({
      id: 10,
      name: 'Plumbing',
      active: true,
      description: null,
      image: null,
      parentId: null,
      position: 1,
      categoryType: 'Services',
      subcategories: [],
      businessUnitIds: [5],
      skuImages: [],
      skuVideos: [],
      source: null,
      externalId: null,
      hideInMobile: false,
      createdOn: '2021-07-19T20:35:38.2876004Z',
      modifiedOn: '2021-07-19T20:35:38.2876Z',
    });
    for (const deleted of [false, true]) {
      const m = observedMessage(scope, 'categories', record, deleted);
      expect(messageSchema('record.observed').parse(m)).toEqual(m);
      expect(JSON.parse(JSON.stringify(m))).toEqual(m);
      expect(m.data.deleted).toBe(deleted ? true : undefined);
    }
  });
});
