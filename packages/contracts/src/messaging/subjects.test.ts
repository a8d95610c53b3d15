import { describe, expect, it } from 'vitest';
import { entityTypes } from '../entities';
import { messageTypes, parseSubject, subjectFilter, subjectFor, subjectPatterns, subjects } from './subjects';

const tenant = '1001';

describe('subjects', () => {
  it('builds the subjects DESIGN.md names', () => {
    expect(subjects.command(tenant, 'sync')).toBe('pricebook.cmd.1001.sync.v1');
    expect(subjects.command(tenant, 'scheduler')).toBe('pricebook.cmd.1001.scheduler.v1');
    expect(subjects.pipeline(tenant, 'materials', 'observed')).toBe(
      'pricebook.pipe.1001.materials.observed.v1',
    );
    expect(subjects.pipeline(tenant, 'services', 'decided')).toBe('pricebook.pipe.1001.services.decided.v1');
    expect(subjects.fence(tenant)).toBe('pricebook.pipe.1001.sync.fence.v1');
    expect(subjects.recordEvent(tenant, 'equipment', 'conflicted')).toBe(
      'pricebook.events.1001.equipment.conflicted.v1',
    );
    expect(subjects.syncEvent(tenant, 'progress')).toBe('pricebook.events.1001.sync.progress.v1');
    expect(subjects.inbound(tenant, 'categories', 'delete')).toBe(
      'pricebook.inbound.1001.categories.delete.v1',
    );
  });

  it('round-trips every message type and entity through build and parse', () => {
    for (const type of messageTypes) {
      const scoped = subjectPatterns[type].includes('{entity}');
      const entities = scoped ? entityTypes : [undefined];
      for (const entity of entities) {
        const subject = entity
          ? subjectFor(type as 'record.observed', { tenant, entity })
          : subjectFor(type as 'sync.command', { tenant });
        const parsed = parseSubject(subject);
        expect(parsed).toEqual(entity ? { type, tenant, entity } : { type, tenant });
      }
    }
  });

  it('gives every type a distinct subject', () => {
    const all = messageTypes.map((t) => subjectFilter(t));
    expect(new Set(all).size).toBe(all.length);
  });

  it('rejects subjects that are not ours', () => {
    for (const s of [
      'pricebook.cmd.1001.sync.v2',
      'pricebook.cmd.abc.sync.v1',
      'pricebook.cmd.0.sync.v1',
      'pricebook.pipe.1001.widgets.observed.v1',
      'pricebook.events.1001.materials.archived.v1',
      'pricebook.events.1001.materials.created',
      'other.cmd.1001.sync.v1',
      '',
    ]) {
      expect(parseSubject(s), s).toBeUndefined();
    }
  });

  it('refuses to build a subject from a bad token', () => {
    expect(() => subjectFor('sync.command', { tenant: 'a.b' })).toThrow(/tenant/);
    expect(() => subjectFor('record.updated', { tenant, entity: '>' as 'materials' })).toThrow(/entity/);
  });

  it('builds wildcard filters', () => {
    expect(subjectFilter('record.updated')).toBe('pricebook.events.*.*.updated.v1');
    expect(subjectFilter('record.updated', { entity: 'materials' })).toBe(
      'pricebook.events.*.materials.updated.v1',
    );
    expect(subjectFilter('sync.completed', { tenant })).toBe('pricebook.events.1001.sync.completed.v1');
  });
});
