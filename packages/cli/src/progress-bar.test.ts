import type { SyncProgress } from '@pricebook/contracts';
import { describe, expect, it } from 'vitest';
import { barLine, plainLine } from './progress-bar';

const progress: SyncProgress = {
  syncLogId: '6f1c2b7e-8a43-4c2d-9a57-3f0e1d2c4b5a',
  status: 'running',
  dryRun: false,
  stats: { fetched: 1200, created: 15, updated: 40, deleted: 0, skipped: 1145, conflicts: 0, errors: 0 },
  entityStats: {},
  entities: { requested: ['categories', 'materials'], done: ['categories'] },
  durationMs: null,
  errorMessage: null,
};

describe('the progress display', () => {
  it('fills the bar by the share of finished entities and names the one at work', () => {
    const line = barLine(progress, 0, 12_400, 200);
    expect(line).toContain(`[${'█'.repeat(10)}${'░'.repeat(10)}] 1/2 materials`);
    expect(line).toContain('fetched 1,200');
    expect(line.endsWith('12.4 s')).toBe(true);
  });

  it('never overflows a narrow terminal', () => {
    expect(barLine(progress, 0, 0, 40).length).toBeLessThanOrEqual(40);
  });

  it('prints a plain line without control characters for pipes', () => {
    expect(plainLine(progress)).toBe(
      'running 1/2 entities fetched 1,200 · created 15 · updated 40 · deleted 0 · skipped 1,145 · conflicts 0 · errors 0',
    );
  });
});
