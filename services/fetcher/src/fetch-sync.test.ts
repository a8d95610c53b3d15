import { entityTypes, messageIds, stContentHash } from '@pricebook/contracts';
import type { SandboxItem } from '@pricebook/testing';
import { forFile } from '@pricebook/testing/vitest';
import { beforeAll, describe, expect, it } from 'vitest';
import { fetchSync } from './fetch-sync';
import {
  corrupt,
  drainPipeline,
  fetchDeps,
  sandboxClient,
  sorted,
  startWorld,
  syncCommand,
} from './test-support';

const world = forFile(() => startWorld({ items: 400, seed: 11, exportPageSize: 100 }));
const raw: Partial<Record<(typeof entityTypes)[number], SandboxItem[]>> = {};
let priceless: SandboxItem;
let nameless: SandboxItem;

beforeAll(async () => {
  for (const entity of entityTypes) raw[entity] = await world.sb.control.items(entity);
  const materials = raw.materials ?? [];
  const [a, b] = [materials[7], materials[42]];
  if (!a || !b) throw new Error('the tenant has materials');
  priceless = a;
  nameless = b;
  await corrupt(world.sb, 'materials', priceless.id, { price: 'free' });
  await corrupt(world.sb, 'materials', nameless.id, { code: null });
});

describe('a full sync', () => {
  it('publishes one observed message per ST record, quarantines the invalid ones and fences each entity', async () => {
    const command = syncCommand(world, { fullSync: true });
    const startedAt = new Date('2026-12-06T10:15:00.000Z');
    const deps = fetchDeps(world, { now: () => startedAt, exportPositionMarginMs: 900_000 });
    const outcomes = await fetchSync(deps, command, new AbortController().signal);
    const { observed, decided, fences } = await drainPipeline(world);
    const { syncLogId } = command.data;
    expect(decided.map((d) => [d.data.action, d.data.stId]).sort()).toEqual([
      ['quarantine', Math.min(priceless.id, nameless.id)],
      ['quarantine', Math.max(priceless.id, nameless.id)],
    ]);

    for (const entity of entityTypes) {
      const items = raw[entity] ?? [];
      expect(items.length).toBeGreaterThan(0);
      const bad = entity === 'materials' ? [priceless.id, nameless.id] : [];
      const got = observed.filter((m) => m.data.entity === entity).map((m) => m.data.stId);
      expect(got).toHaveLength(new Set(got).size);
      expect(sorted(got)).toEqual(sorted(items.map((i) => i.id).filter((id) => !bad.includes(id))));
      expect(fences.find((f) => f.data.entity === entity)?.data).toEqual({
        syncLogId,
        entity,
        published: items.length,
        // One version of each record: nothing changed while the sync read it.
        versions: items.length,
        errors: bad.length,
        // Where the next incremental reads from: 15 minutes before the listing started.
        exportToken: '2026-12-06T10:00:00.000Z',
      });
    }
    expect(fences.map((f) => f.data.entity)).toEqual([...entityTypes]);
    expect(outcomes.map(({ entity, published, errors }) => ({ entity, published, errors }))).toEqual(
      fences.map((f) => ({ entity: f.data.entity, published: f.data.published, errors: f.data.errors })),
    );

    for (const m of observed) {
      const { entity, stId, modifiedOn, record, hash } = m.data;
      expect(m.id).toBe(messageIds.observed({ syncLogId, entity, stId, modifiedOn }));
      expect(m.correlationId).toBe(syncLogId);
      expect(m.causationId).toBe(command.id);
      expect(hash).toBe(stContentHash(entity, record));
      expect(record.id).toBe(stId);
      expect(m.data.deleted).toBeUndefined();
    }
  });

  it('sends an invalid record to the applier as a quarantine decision with its reason', async () => {
    const command = syncCommand(world, { fullSync: true, entityTypes: ['materials'] });
    await fetchSync(fetchDeps(world), command, new AbortController().signal);
    const { decided, observed } = await drainPipeline(world);
    expect(observed.length).toBe((raw.materials?.length ?? 0) - 2);
    expect(decided).toHaveLength(2);
    const byKey = new Map(decided.map((d) => [d.data.invalid?.key, d.data]));

    const withId = byKey.get(String(priceless.id));
    expect(withId).toMatchObject({ action: 'quarantine', stId: priceless.id, entity: 'materials' });
    expect(withId?.invalid?.reason).toMatch(/^price: /);
    expect(withId?.record).toMatchObject({ id: priceless.id, price: 'free' });

    const codeless = byKey.get(String(nameless.id));
    expect(codeless).toMatchObject({ action: 'quarantine', stId: nameless.id });
    expect(codeless?.invalid?.reason).toContain('code');
    expect(codeless?.record).toMatchObject({ id: nameless.id, code: null });
    for (const d of decided) expect(d.causationId).toBe(command.id);
  });
});

describe('when ServiceTitan cannot be read', () => {
  const quickRetry = { retry: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 5 } };

  it('fences the entity as failed and fetches no further entity', async () => {
    await world.sb.control.setFaults({ errorRate: 1, pathPattern: '/materials' });
    try {
      const command = syncCommand(world, { fullSync: true });
      const deps = fetchDeps(world, { st: sandboxClient(world.sb, quickRetry) });
      const outcomes = await fetchSync(deps, command, new AbortController().signal);
      const { fences, observed } = await drainPipeline(world);

      expect(fences.map((f) => f.data.entity)).toEqual(['categories', 'materials']);
      expect(fences[0]?.data.failed).toBeUndefined();
      expect(fences[1]?.data).toMatchObject({
        entity: 'materials',
        published: 0,
        errors: 0,
        failed: { code: 'upstream_unavailable' },
      });
      expect(fences[1]?.data.failed?.message).toContain('materials');
      expect(outcomes).toHaveLength(2);
      expect(new Set(observed.map((m) => m.data.entity))).toEqual(new Set(['categories']));
    } finally {
      await world.sb.control.clearFaults();
    }
  });

  it('fences the first entity as failed when ST does not answer at all', async () => {
    const unreachable = { baseUrl: 'http://127.0.0.1:9', authUrl: 'http://127.0.0.1:9', ...quickRetry };
    const deps = fetchDeps(world, { st: sandboxClient(world.sb, unreachable) });
    const command = syncCommand(world, { fullSync: false, entityTypes: ['services', 'equipment'] });
    await fetchSync(deps, command, new AbortController().signal);
    const { fences, observed } = await drainPipeline(world);
    expect(observed).toEqual([]);
    expect(fences).toHaveLength(1);
    expect(fences[0]?.data).toMatchObject({
      entity: 'services',
      published: 0,
      failed: { code: 'upstream_unavailable' },
    });
    expect(fences[0]?.data.exportToken).toBeUndefined();
  });

  it('gives the command back (retryable) when the service stops mid-fetch', async () => {
    const stop = new AbortController();
    stop.abort();
    const command = syncCommand(world, { fullSync: true, entityTypes: ['materials'] });
    await expect(fetchSync(fetchDeps(world), command, stop.signal)).rejects.toMatchObject({
      code: 'unavailable',
      retry: true,
    });
    const { fences } = await drainPipeline(world);
    expect(fences).toEqual([]);
  });
});

describe('a full listing', () => {
  it('reads pages of the configured size', async () => {
    const materials = raw.materials ?? [];
    await world.sb.control.resetStats();
    const command = syncCommand(world, { fullSync: true, entityTypes: ['materials'] });
    await fetchSync(fetchDeps(world, { listPageSize: 50 }), command, new AbortController().signal);
    const { observed, decided, fences } = await drainPipeline(world);
    expect(observed.length + decided.length).toBe(materials.length);
    expect(fences[0]?.data.published).toBe(materials.length);
    const stats = await world.sb.control.stats();
    expect(stats.byPath['GET /pricebook/v2/tenant/:tenant/materials']?.count).toBe(
      Math.ceil(materials.length / 50),
    );
  });
});

describe('the export position a full sync leaves', () => {
  it('lets the next incremental read only what changed since: nothing, then exactly the record edited', async () => {
    const signal = new AbortController().signal;
    const deps = fetchDeps(world, { exportPositionMarginMs: 0 });
    await fetchSync(deps, syncCommand(world, { fullSync: true, entityTypes: ['materials'] }), signal);
    const [fence] = (await drainPipeline(world)).fences;
    const position = fence?.data.exportToken ?? undefined;
    expect(position).toEqual(expect.any(String));
    const incremental = () =>
      syncCommand(world, {
        fullSync: false,
        entityTypes: ['materials'],
        exportTokens: { materials: position },
      });

    await fetchSync(deps, incremental(), signal);
    const unchanged = await drainPipeline(world);
    expect(unchanged.observed).toEqual([]);
    expect(unchanged.fences[0]?.data).toMatchObject({ published: 0, errors: 0 });

    const edited = raw.materials?.find((i) => i.id !== priceless.id && i.id !== nameless.id);
    if (!edited) throw new Error('the tenant has valid materials');
    await world.sb.control.editItem('materials', edited.id, { price: 901.25 });
    await fetchSync(deps, incremental(), signal);
    const changed = await drainPipeline(world);
    expect(changed.observed.map((m) => [m.data.stId, m.data.record.price])).toEqual([[edited.id, 901.25]]);
  });
});
