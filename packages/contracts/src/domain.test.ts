import { describe, expect, it } from 'vitest';
import { ResolveStrategy, SyncType } from './domain';
import { SyncLogSummary } from './http/logs';
import { SyncEventData } from './messaging/payloads';

describe('the domain enums', () => {
  it('admit every sync type the sync log column holds, while the sync events describe only theirs', () => {
    expect(SyncType.options).toEqual(['full', 'incremental', 'push', 'resolve']);
    expect(SyncLogSummary.shape.syncType.safeParse('resolve').success).toBe(true);
    expect(SyncEventData.shape.syncType.safeParse('resolve').success).toBe(false);
    expect(SyncEventData.shape.syncType.options).toEqual(['full', 'incremental', 'push']);
  });

  it('let a person ask for every resolution, or leave the conflict for later', () => {
    expect(ResolveStrategy.options).toEqual(['keep_st', 'keep_local', 'merge', 'manual']);
  });
});
