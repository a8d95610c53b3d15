import { AppError } from '@pricebook/errors';
import { beforeEach, describe, expect, it } from 'vitest';
import { applyLocalEdit, deterministicRecordId, type LocalEditInput, validateLocalEdit } from './local-edits';
import { auditRows, copperPipe, databaseForFile, outboxEvents, seedSyncedMaterial } from './test-support';

let id: string;
const tenantId = '42';

const stRecord = { ...copperPipe, categories: [11] };

const t = databaseForFile();

beforeEach(async () => {
  await t.sql('delete from pricebook_services');
  id = await seedSyncedMaterial(t, stRecord, tenantId);
});

const apply = (edit: LocalEditInput['edit'], entity: LocalEditInput['entity'] = 'materials') =>
  t.tx((em) => applyLocalEdit(em, { tenantId, entity, origin: 'inbound', actor: 'vendor-feed', edit }));
const changes = () => auditRows(t);
const outbox = () => outboxEvents(t);
const refusal = async (p: Promise<unknown>) => {
  const error = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof AppError)) throw new Error(`expected an AppError, got ${String(error)}`);
  return error;
};

describe('validateLocalEdit', () => {
  it('names read-only, unknown and badly typed fields at once', () => {
    const error = (() => {
      try {
        validateLocalEdit('materials', 'update', { id: 1, modifiedOn: 'x', prize: 3, price: 'ten' });
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(AppError);
    const errors = (error as AppError).details?.errors;
    expect(errors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ path: 'id', message: 'read-only field' }),
        expect.objectContaining({ path: 'modifiedOn', message: 'read-only field' }),
        expect.objectContaining({ path: 'prize', message: 'unknown field' }),
        expect.objectContaining({ path: 'price' }),
      ]),
    );
  });

  it('requires the create schema’s required fields', () => {
    expect(() => validateLocalEdit('materials', 'create', { price: 1 })).toThrow(/code.*description/);
  });
});

describe('applyLocalEdit', () => {
  it('updates by ST id with one audit row and one event, origin and actor kept', async () => {
    const result = await apply({ op: 'update', ref: { stId: 5001 }, record: { price: 13 } });
    expect(result.changed).toBe(true);
    expect(result.row).toMatchObject({
      id,
      syncStatus: 'pending_sync',
      record: { price: 13, code: 'CU-12' },
    });
    const audit = await changes();
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ origin: 'inbound', actor: 'vendor-feed', changed_fields: ['price'] });
    expect(await outbox()).toHaveLength(1);
  });

  it('writes nothing when the values are already there', async () => {
    await apply({ op: 'update', ref: { id }, record: { price: 13 } });
    const again = await apply({ op: 'update', ref: { id }, record: { price: 13 } });
    expect(again.changed).toBe(false);
    expect(await changes()).toHaveLength(1);
  });

  it('creates once per id, however often it is repeated', async () => {
    const newId = deterministicRecordId('42:materials:msg-1');
    const edit = { op: 'create', id: newId, record: { code: 'N-1', description: 'new' } } as const;
    const first = await apply(edit);
    const second = await apply(edit);
    expect(first).toMatchObject({
      created: true,
      row: { id: newId, stId: null, syncStatus: 'pending_sync' },
    });
    expect(second).toMatchObject({ created: false, changed: false, row: { id: newId } });
    expect(await changes()).toHaveLength(1);
  });

  it('soft-deletes once and refuses a stale version', async () => {
    const stale = await refusal(apply({ op: 'delete', ref: { id }, expectedVersion: 99 }));
    expect(stale.code).toBe('precondition_failed');
    const deleted = await apply({ op: 'delete', ref: { id } });
    expect(deleted.row.deletedAt).not.toBeNull();
    expect((await apply({ op: 'delete', ref: { id } })).changed).toBe(false);
    expect((await changes()).map((c) => c.operation)).toEqual(['delete']);
  });

  it('refuses an edit of a row in conflict, and an unknown row', async () => {
    await t.tx(
      (em) => em.execute(`update pricebook_materials set sync_status = 'conflict', has_conflict = true`),
      {
        origin: 'st',
      },
    );
    expect((await refusal(apply({ op: 'update', ref: { id }, record: { price: 1 } }))).code).toBe('conflict');
    expect((await refusal(apply({ op: 'update', ref: { stId: 1 }, record: { price: 1 } }))).code).toBe(
      'not_found',
    );
  });

  it('keeps the category objects of a service and adds new ids', async () => {
    const created = await apply(
      { op: 'create', record: { code: 'S-1', displayName: 'Tune-up', description: 'x', categories: [7] } },
      'services',
    );
    await t.sql(
      `update pricebook_services set data = jsonb_set(data, '{categories}', '[{"id":7,"name":"HVAC","active":true}]')`,
    );
    const updated = await apply(
      { op: 'update', ref: { id: created.row.id }, record: { categories: [7, 8] } },
      'services',
    );
    expect(updated.row.record.categories).toEqual([{ id: 7, name: 'HVAC', active: true }, { id: 8 }]);
  });
});
