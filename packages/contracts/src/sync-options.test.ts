import { describe, expect, it } from 'vitest';
import { entityTypes } from './entities';
import { readSyncOptions } from './sync-options';

describe('readSyncOptions', () => {
  it('reads the options a sync was created with', () => {
    const written = {
      direction: 'bidirectional',
      entityTypes: ['materials', 'services'],
      fullSync: true,
      resolveConflicts: 'keep_st',
      dryRun: true,
      allowMassDelete: true,
      allowMassChange: true,
    };
    // A field the reader does not know is dropped.
    expect(readSyncOptions({ ...written, somethingElse: 1 })).toEqual(written);
  });

  it("gives an unreadable field the command's default without losing the others", () => {
    const options = readSyncOptions({
      entityTypes: ['widgets'],
      resolveConflicts: 'keep_local',
      dryRun: 'yes',
    });
    expect(options.entityTypes).toEqual(entityTypes);
    expect(options.resolveConflicts).toBe('keep_local');
    expect(options.dryRun).toBe(false);
  });

  it('reads a missing or odd document as the defaults', () => {
    const defaults = {
      direction: 'from_st',
      entityTypes: [...entityTypes],
      fullSync: false,
      resolveConflicts: 'manual',
      dryRun: false,
      allowMassDelete: false,
      allowMassChange: false,
    };
    for (const odd of [null, undefined, 'text', 42, [], {}, { entityTypes: [] }]) {
      expect(readSyncOptions(odd), JSON.stringify(odd)).toEqual(defaults);
    }
  });
});
