import { describe, expect, it } from 'vitest';
import { type AuditChange, recordEventData, rowEventOperation } from './record-event';

const change: AuditChange = {
  id: '5e0c7d7e-2f4b-4d61-9c1e-0a4b8f3e2d11',
  entity_type: 'services',
  record_id: '0b8e4d1a-5c6f-4e2b-8d9a-7c3b2a1f0e9d',
  st_id: '9007199254740991',
  operation: 'restore',
  origin: 'inbound',
  before: { id: 1, price: 10 },
  after: { id: 1, price: 12 },
  changed_fields: ['price'],
  sync_log_id: null,
  actor: null,
};

describe('recordEventData', () => {
  it('announces a restore as an update, with the ST id as a number and every key present', () => {
    expect(recordEventData(change)).toEqual({
      entity: 'services',
      recordId: change.record_id,
      stId: 9007199254740991,
      operation: 'updated',
      origin: 'inbound',
      before: { id: 1, price: 10 },
      after: { id: 1, price: 12 },
      changedFields: ['price'],
      syncLogId: null,
      actor: null,
    });
  });

  it('names the change-set of the change, and leaves the key out when it belongs to none', () => {
    const changeSetId = '3c9a1f2e-7b4d-4e8a-9f0c-2d1e5b6a7c8d';
    expect(recordEventData({ ...change, changeset_id: changeSetId })).toMatchObject({ changeSetId });
    expect(recordEventData({ ...change, changeset_id: null })).not.toHaveProperty('changeSetId');
  });

  it('keeps a record never pushed to ServiceTitan without an ST id', () => {
    expect(recordEventData({ ...change, st_id: null, operation: 'create' })).toMatchObject({
      stId: null,
      operation: 'created',
    });
  });

  it('names each audit operation as subscribers see it', () => {
    expect((['create', 'update', 'delete', 'restore'] as const).map((o) => rowEventOperation(o))).toEqual([
      'created',
      'updated',
      'deleted',
      'updated',
    ]);
  });
});
