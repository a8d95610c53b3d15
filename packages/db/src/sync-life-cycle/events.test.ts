import { describe, expect, it } from 'vitest';
import { syncEvent } from './events';
import type { SyncLogRow } from './row';

const row: SyncLogRow = {
  id: '6f1c2b7e-8a43-4c2d-9a57-3f0e1d2c4b5a',
  tenant_id: '1001',
  sync_type: 'full',
  direction: 'from_st',
  options: { entityTypes: ['materials'] },
  dry_run: false,
  status: 'running',
  started_at: '2025-12-06T02:00:00.000Z',
  completed_at: '2025-12-06T02:00:45.123Z',
  duration_ms: 45_123,
  records_fetched: 10,
  records_created: 4,
  records_updated: 3,
  records_deleted: 1,
  records_skipped: 2,
  conflicts: 0,
  errors: 0,
  entity_stats: {},
  error_message: null,
};

describe('syncEvent', () => {
  it('builds every lifecycle event as the catalog describes it', () => {
    for (const kind of ['started', 'progress', 'completed', 'failed'] as const) {
      const event = syncEvent(
        kind,
        row,
        kind === 'failed' ? { code: 'mass_delete_refused', message: 'no' } : undefined,
      );
      expect(event).toMatchObject({
        subject: `pricebook.events.1001.sync.${kind}.v1`,
        event_type: `sync.${kind}`,
        correlation_id: row.id,
        causation_id: `sync:${row.id}`,
        payload: {
          syncLogId: row.id,
          entityTypes: ['materials'],
          stats: { fetched: 10, created: 4, updated: 3, deleted: 1, skipped: 2, conflicts: 0, errors: 0 },
        },
      });
    }
    expect(syncEvent('completed', row)?.payload).toMatchObject({ status: 'completed', durationMs: 45_123 });
    expect(syncEvent('progress', row)?.payload).not.toHaveProperty('completedAt');
  });

  it('writes no event for a sync type the events do not describe', () => {
    expect(syncEvent('started', { ...row, sync_type: 'resolve' })).toBeUndefined();
  });
});
