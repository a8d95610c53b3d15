import { describe, expect, it } from 'vitest';
import { catalog } from './catalog';
import { type ConsumerDefinition, consumers, defineStreams, streams } from './streams';
import { messageTypes, subjectFilter, subjectMatches } from './subjects';

const allConsumers: ConsumerDefinition[] = Object.values(consumers);

/** Two filters overlap when some subject matches both (token by token, `*` matches anything). */
function overlap(a: string, b: string): boolean {
  const x = a.split('.');
  const y = b.split('.');
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    if (x[i] === '>' || y[i] === '>') return true;
    if (x[i] === undefined || y[i] === undefined) return false;
    if (x[i] !== '*' && y[i] !== '*' && x[i] !== y[i]) return false;
  }
  return true;
}

describe('streams', () => {
  it('put every message type on exactly its catalog stream', () => {
    for (const type of messageTypes) {
      const holders = Object.values(streams).filter((s) =>
        s.subjects.some((f) => subjectMatches(f, subjectFilter(type))),
      );
      expect(
        holders.map((s) => s.name),
        type,
      ).toEqual([catalog[type].stream]);
    }
  });

  it('store the whole events namespace, so a subscriber may filter on anything narrower', () => {
    // NATS 2.9 takes a consumer filter only within one stream subject (or covering one).
    expect(streams.PRICEBOOK_EVENTS.subjects).toEqual(['pricebook.events.>']);
    for (const filter of ['pricebook.events.1001.>', 'pricebook.events.1001.materials.*.v1']) {
      expect(
        streams.PRICEBOOK_EVENTS.subjects.some((s) => subjectMatches(s, filter)),
        filter,
      ).toBe(true);
    }
  });

  it('keep the retention DESIGN.md asks for', () => {
    expect(streams.PRICEBOOK_COMMANDS.retention).toBe('workqueue');
    expect(streams.PRICEBOOK_PIPELINE.retention).toBe('workqueue');
    expect(streams.PRICEBOOK_INBOUND.retention).toBe('workqueue');
    expect(streams.PRICEBOOK_EVENTS).toMatchObject({ retention: 'limits', storage: 'file' });
    for (const s of Object.values(streams)) {
      expect(s.duplicateWindowMs).toBeGreaterThanOrEqual(2 * 60_000);
      expect(s.duplicateWindowMs).toBeLessThanOrEqual(s.maxAgeMs);
      expect(s.replicas).toBe(1);
    }
  });

  it('apply options', () => {
    const defs = defineStreams({ replicas: 3, eventsMaxAgeDays: 30, pipelineMaxAgeHours: 6 });
    expect(defs.PRICEBOOK_EVENTS.maxAgeMs).toBe(30 * 24 * 3_600_000);
    expect(defs.PRICEBOOK_PIPELINE.maxAgeMs).toBe(6 * 3_600_000);
    expect(Object.values(defs).every((s) => s.replicas === 3)).toBe(true);
  });
});

describe('consumers', () => {
  it('filter exactly the types they accept', () => {
    for (const c of allConsumers) {
      for (const type of messageTypes) {
        const matches = subjectMatches(c.filterSubject, subjectFilter(type));
        expect(matches, `${c.name} / ${type}`).toBe(c.accepts.includes(type));
        if (c.accepts.includes(type)) expect(catalog[type].stream).toBe(c.stream);
      }
    }
  });

  it('never overlap on a work-queue stream, and every work-queue type has one consumer', () => {
    for (const stream of Object.values(streams).filter((s) => s.retention === 'workqueue')) {
      const own = allConsumers.filter((c) => c.stream === stream.name);
      for (const a of own) {
        for (const b of own) {
          if (a !== b) expect(overlap(a.filterSubject, b.filterSubject), `${a.name} x ${b.name}`).toBe(false);
        }
      }
      for (const type of messageTypes.filter((t) => catalog[t].stream === stream.name)) {
        expect(own.filter((c) => c.accepts.includes(type)).length, type).toBe(1);
      }
    }
  });

  it('let the server deliver once more than the catalog allows, so the runner can record it', () => {
    for (const c of allConsumers) {
      const max = Math.max(...c.accepts.map((t) => catalog[t].retry.maxDeliveries));
      expect(c.maxDeliver).toBe(max + 1);
      expect(new Set(allConsumers.map((x) => x.name)).size).toBe(allConsumers.length);
    }
  });
});
