import { randomUUID } from 'node:crypto';
import { messageSchema } from '@pricebook/contracts';
import { decide, type LocalRow } from '@pricebook/merge';
import { describe, expect, it } from 'vitest';
import { decidedMessage } from './compare-batch';
import { observed } from './test-support';

describe('decidedMessage', () => {
  it('builds exactly what the catalog would make of each kind of decision', () => {
    const syncLogId = randomUUID();
    const st = observed(syncLogId, 42, {
      code: 'CU-12',
      price: 7.5,
      modifiedOn: '2025-01-02T03:04:05.1234567Z',
    });
    const base = { ...st.data.record, price: 5 };
    const row = (over: Partial<LocalRow>): LocalRow => ({
      id: randomUUID(),
      data: base,
      base,
      contentHash: 'ab'.repeat(16),
      syncStatus: 'synced',
      hasConflict: false,
      deletedAt: null,
      version: 3,
      localModifiedAt: null,
      stModifiedOn: '2025-01-01T00:00:00.000000Z',
      ...over,
    });
    const decisions = [
      decide(st.data, undefined, { resolveConflicts: 'manual' }),
      decide(st.data, row({}), { resolveConflicts: 'manual' }),
      decide(st.data, row({ data: { ...base, price: 9 }, syncStatus: 'pending_sync' }), {
        resolveConflicts: 'manual',
      }),
      decide(st.data, row({ contentHash: st.data.hash, data: st.data.record }), {
        resolveConflicts: 'manual',
      }),
    ];
    expect(decisions.map((d) => d.action)).toEqual(['create', 'update', 'conflict', 'skip']);
    for (const decision of decisions) {
      const m = decidedMessage(st, decision);
      expect(messageSchema('record.decided').parse(m)).toEqual(JSON.parse(JSON.stringify(m)));
    }
  });
});
