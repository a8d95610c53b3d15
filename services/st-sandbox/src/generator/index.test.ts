import { describe, expect, it } from 'vitest';
import { formatStamp } from '../store/stamp';
import { Tenant } from '../store/tenant';
import type { AnyRecord, Entity, Stored } from '../store/types';
import { generatePricebook, itemSplit } from '.';

const NOW = Date.UTC(2025, 5, 1, 12);

function generate(items: number, seed: number): Tenant {
  const tenant = new Tenant('42', { clientId: 'c', clientSecret: 's', appKey: 'a' });
  generatePricebook(tenant, { items, seed, nowMs: NOW });
  return tenant;
}

function all(tenant: Tenant, entity: Entity): Stored<AnyRecord>[] {
  return tenant.anyStore(entity).all();
}

const snapshot = (t: Tenant) =>
  JSON.stringify((['categories', 'materials', 'services', 'equipment'] as const).map((e) => all(t, e)));

describe('generatePricebook', () => {
  it('is deterministic for a seed and differs between seeds', () => {
    expect(snapshot(generate(300, 7))).toBe(snapshot(generate(300, 7)));
    expect(snapshot(generate(300, 7))).not.toBe(snapshot(generate(300, 8)));
  });

  it('leaves the tenant empty for 0 items and splits the count between entities', () => {
    const empty = generate(0, 1);
    expect(empty.counts()).toEqual({ categories: 0, materials: 0, services: 0, equipment: 0 });
    const t = generate(10, 1);
    const split = itemSplit(10);
    expect(split.materials + split.services + split.equipment).toBe(10);
    for (const e of ['materials', 'services', 'equipment'] as const) {
      expect(all(t, e)).toHaveLength(split[e]);
    }
  });

  const t = generate(3000, 99);
  const materials = all(t, 'materials').map((i) => i.data) as Extract<
    AnyRecord,
    { deductAsJobCost: boolean }
  >[];
  const services = all(t, 'services').map((i) => i.data) as Extract<
    AnyRecord,
    { serviceMaterials: unknown }
  >[];
  const equipment = all(t, 'equipment').map((i) => i.data) as Extract<AnyRecord, { manufacturer: unknown }>[];

  it('builds a two-type category tree that every item points into', () => {
    const categories = all(t, 'categories').map((i) => i.data) as Extract<
      AnyRecord,
      { categoryType: unknown }
    >[];
    const ids = new Set(categories.map((c) => c.id));
    expect(new Set(categories.map((c) => c.categoryType))).toEqual(new Set(['Services', 'Materials']));
    for (const c of categories) if (c.parentId !== null) expect(ids.has(c.parentId)).toBe(true);
    expect(categories.some((c) => !c.active)).toBe(true);
    for (const item of [...materials, ...services, ...equipment]) {
      expect(item.categories.length).toBeGreaterThan(0);
      for (const id of item.categories) expect(ids.has(id)).toBe(true);
    }
  });

  it('prices consistently: price >= cost and member price <= price', () => {
    for (const m of [...materials, ...equipment]) {
      expect(m.price).toBeGreaterThanOrEqual(m.cost);
      expect(m.memberPrice).toBeLessThanOrEqual(m.price);
      expect(m.addOnMemberPrice).toBeLessThanOrEqual(m.memberPrice);
      expect(m.primaryVendor?.cost).toBe(m.cost);
    }
    for (const s of services) {
      expect(s.price).toBeGreaterThanOrEqual(s.cost);
      expect(s.memberPrice).toBeLessThanOrEqual(s.price);
    }
  });

  it('keeps codes unique, case-insensitively, within each entity', () => {
    for (const list of [materials, services, equipment]) {
      const codes = list.map((i) => i.code.toLowerCase());
      expect(new Set(codes).size).toBe(codes.length);
    }
  });

  it('links services to existing materials and equipment and gives equipment makers and warranties', () => {
    const materialIds = new Set(materials.map((m) => m.id));
    const equipmentIds = new Set(equipment.map((e) => e.id));
    const linked = services.filter((s) => s.serviceMaterials.length > 0);
    expect(linked.length).toBeGreaterThan(services.length / 4);
    for (const s of services) {
      for (const l of s.serviceMaterials) expect(materialIds.has(l.skuId)).toBe(true);
      for (const l of s.serviceEquipment) expect(equipmentIds.has(l.skuId)).toBe(true);
    }
    expect(services.some((s) => s.serviceEquipment.length > 0)).toBe(true);
    for (const e of equipment) {
      expect(e.manufacturer).toBeTruthy();
      expect(e.model).toBeTruthy();
      expect(e.manufacturerWarranty.duration).toBeGreaterThan(0);
    }
  });

  it('writes a history with shared modifiedOn values, mixed precision and createdOn <= modifiedOn', () => {
    const stored = all(t, 'materials');
    const counts = new Map<string, number>();
    for (const i of stored) counts.set(i.data.modifiedOn, (counts.get(i.data.modifiedOn) ?? 0) + 1);
    expect([...counts.values()].filter((n) => n > 1).length).toBeGreaterThan(10);
    const fractions = stored.map((i) => /\.(\d+)Z$/.exec(i.data.modifiedOn)?.[1]?.length ?? 0);
    expect(fractions).toContain(0);
    expect(fractions).toContain(7);
    for (const i of stored) {
      expect(i.created.ms).toBeLessThanOrEqual(i.modified.ms);
      expect(i.data.modifiedOn).toBe(formatStamp(i.modified));
      expect(i.modified.ms).toBeLessThan(NOW - 15 * 60_000);
    }
  });

  it('includes a few inactive and deleted rows', () => {
    const stored = all(t, 'materials');
    expect(stored.some((i) => !i.data.active && !i.deleted)).toBe(true);
    expect(stored.some((i) => i.deleted && !i.data.active)).toBe(true);
  });
});
