import { round } from '../random';
import { newRecord } from '../requests/defaults';
import type { EquipmentRecord, MaterialRecord, ServiceRecord, SkuLink } from '../store/types';
import { blurbs, businessUnits, serviceCatalog } from './catalog';
import { type GenContext, poolOf, pushTo } from './context';
import { stored } from './history';
import { ladder } from './pricing';
import { code, expand, flat, initials, intern } from './text';

function pickLinks<T extends MaterialRecord | EquipmentRecord>(
  ctx: GenContext,
  pool: T[],
  count: number,
): { record: T; quantity: number }[] {
  const out: { record: T; quantity: number }[] = [];
  for (let i = 0; i < count && pool.length; i++) {
    const record = ctx.rng.pick(pool);
    if (out.some((l) => l.record.id === record.id)) continue;
    const perFoot = 'unitOfMeasure' in record && record.unitOfMeasure === 'Ft';
    out.push({ record, quantity: perFoot ? ctx.rng.int(5, 50) : ctx.rng.int(1, 3) });
  }
  return out;
}

/**
 * Services priced from labour and the parts and equipment they use; some recommend or
 * upgrade to other services. Equipment then recommends the services that install it.
 */
export function generateServices(ctx: GenContext, n: number): void {
  const { rng } = ctx;
  const rate = rng.int(110, 185);
  const areas = Object.entries(serviceCatalog).flatMap(([trade, byArea]) =>
    Object.entries(byArea).map(([area, spec]) => ({ trade, area, spec })),
  );
  const byArea = new Map<string, ServiceRecord[]>();
  const installers = new Map<number, number>();
  const materialPools = new Map<string, MaterialRecord[]>();
  const equipmentPools = new Map<string, EquipmentRecord[]>();
  for (let i = 0; i < n; i++) {
    const { trade, area, spec } = rng.pick(areas);
    const t = rng.pick(spec.templates);
    const record: ServiceRecord = newRecord('services', ctx.tenant.newId(rng.int(1, 3)));
    const name = expand(t.name, rng);
    const hours = round(rng.float(t.hours[0], t.hours[1], 2) * 4, 0) / 4;
    const materials = pickLinks(
      ctx,
      poolOf(materialPools, ctx.materialsByLeaf, spec.materials),
      rng.int(0, 3),
    );
    const installs = spec.equipment.length > 0 && name.startsWith('Install');
    const equipment = installs
      ? pickLinks(ctx, poolOf(equipmentPools, ctx.equipmentByLeaf, spec.equipment), 1)
      : [];
    let cost = 0;
    let partsPrice = 0;
    for (const l of [...materials, ...equipment]) {
      cost += l.record.cost * l.quantity;
      partsPrice += l.record.price * l.quantity;
    }
    cost = round(cost);
    const price = spec.flatPrice
      ? rng.float(spec.flatPrice[0], spec.flatPrice[1])
      : round(hours * rate + partsPrice);
    const key = `${trade} ${area}`;
    const siblings = byArea.get(key) ?? [];
    const earlier = ctx.services;
    const warrantyMonths = rng.pick([0, 12, 12, 24, 60]);
    const created = ctx.history.created(i, n, 0.05, 1);
    const deleted = rng.chance(0.005);
    const active = !deleted && !rng.chance(0.04);
    Object.assign(record, {
      code: code(`SVC-${initials(trade)}-${initials(area)}`, i + 1),
      displayName: name,
      description: flat('<p>', name, '. ', rng.pick(blurbs), '</p>'),
      warranty: rng.chance(0.7)
        ? { duration: warrantyMonths, description: intern(`${warrantyMonths}-month workmanship warranty`) }
        : null,
      categories: [rng.pick(ctx.categoryIds.get(key) ?? [])].filter((id) => id !== undefined),
      ...ladder(price, cost, rng),
      taxable: rng.chance(0.2),
      account: intern(`Sales - ${trade}`),
      hours,
      isLabor: materials.length + equipment.length === 0 ? rng.pick([true, null]) : false,
      recommendations: earlier.length && rng.chance(0.25) ? [rng.pick(earlier).data.id] : [],
      upgrades: siblings.length && rng.chance(0.15) ? [rng.pick(siblings).id] : [],
      serviceMaterials: materials.map((l): SkuLink => ({ skuId: l.record.id, quantity: l.quantity })),
      serviceEquipment: equipment.map((l): SkuLink => ({ skuId: l.record.id, quantity: l.quantity })),
      active,
      crossSaleGroup: rng.chance(0.5) ? intern(key) : null,
      paysCommission: rng.chance(0.7),
      bonus: rng.pick([0, 0, 5, 10, 25]),
      commissionBonus: rng.pick([0, 2, 3, 5]),
      businessUnitId: businessUnits[trade as keyof typeof businessUnits] ?? null,
      cost,
      soldByCommission: rng.pick([0, 0, 2.5, 5]),
    });
    const item = stored(record, created, ctx.history.modified(created));
    item.deleted = deleted;
    ctx.services.push(item);
    if (!deleted && active) pushTo(byArea, key, record);
    for (const e of equipment) if (!installers.has(e.record.id)) installers.set(e.record.id, record.id);
  }
  for (const e of ctx.equipment) {
    const serviceId = installers.get(e.data.id);
    if (serviceId !== undefined && rng.chance(0.5)) {
      e.data.recommendations = [...e.data.recommendations, { skuId: serviceId, type: 'Service' }];
    }
  }
}
