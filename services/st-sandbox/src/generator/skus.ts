import { round } from '../random';
import { newRecord } from '../requests/defaults';
import type { EquipmentRecord, MaterialRecord, SkuAsset, SkuVendor } from '../store/types';
import { blurbs, equipmentCatalog, materialCatalog, userIds } from './catalog';
import { type GenContext, poolOf, pushTo } from './context';
import { stored } from './history';
import { ladder, markup } from './pricing';
import { code, expand, flat, initials, intern, slug } from './text';

function vendor(ctx: GenContext, vendorId: number, cost: number): SkuVendor {
  const name = ctx.tenant.vendorName(vendorId);
  return {
    id: ctx.tenant.newId(),
    vendorName: name,
    vendorId,
    memo: null,
    vendorPart: `${initials(name)}${ctx.rng.int(10000, 999999)}`,
    cost,
    active: true,
    primarySubAccount: null,
    otherSubAccounts: null,
  };
}

function vendors(
  ctx: GenContext,
  options: readonly number[],
  cost: number,
): Pick<MaterialRecord, 'primaryVendor' | 'otherVendors'> {
  const primaryId = ctx.rng.pick(options);
  const others = ctx.rng.chance(0.25)
    ? options.filter((v) => v !== primaryId).slice(0, ctx.rng.int(1, 2))
    : [];
  return {
    primaryVendor: vendor(ctx, primaryId, cost),
    otherVendors: others.map((v) => vendor(ctx, v, round(cost * ctx.rng.float(0.9, 1.12, 3)))),
  };
}

function image(ctx: GenContext, kind: string, itemCode: string): SkuAsset[] {
  if (!ctx.rng.chance(0.25)) return [];
  const fileName = flat(slug(itemCode), '.jpg');
  const url = flat('https://images.st-sandbox.local/pricebook/', kind, '/', fileName);
  return [{ alias: null, fileName, isDefault: true, type: 'Image', url }];
}

function lifecycle(ctx: GenContext, i: number, n: number) {
  const created = ctx.history.created(i, n, 0.05, 1);
  const deleted = ctx.rng.chance(0.005);
  const active = !deleted && !ctx.rng.chance(0.04);
  return { created, modified: ctx.history.modified(created), deleted, active };
}

/** Parts with vendors, costs and markups, spread over the part categories. */
export function generateMaterials(ctx: GenContext, n: number): void {
  const { rng } = ctx;
  const leaves = Object.entries(materialCatalog).flatMap(([family, byLeaf]) =>
    Object.entries(byLeaf).map(([leaf, templates]) => ({ family, leaf, templates })),
  );
  for (let i = 0; i < n; i++) {
    const { family, leaf, templates } = rng.pick(leaves);
    const t = rng.pick(templates);
    const record: MaterialRecord = newRecord('materials', ctx.tenant.newId(rng.int(1, 3)));
    const cost = rng.float(t.cost[0], t.cost[1], 2);
    const name = expand(t.name, rng);
    const itemCode = code(`${initials(family)}-${initials(leaf)}`, i + 1);
    const life = lifecycle(ctx, i, n);
    const catalog = rng.chance(0.1);
    Object.assign(record, {
      code: itemCode,
      displayName: name,
      description: flat('<p>', name, '. ', rng.pick(blurbs), '</p>'),
      cost,
      active: life.active,
      ...ladder(round(cost * markup(cost, rng)), cost, rng),
      hours: t.unit === 'Each' ? rng.pick([0, 0, 0.25, 0.5]) : 0,
      bonus: rng.chance(0.1) ? rng.pick([1, 2, 5]) : 0,
      paysCommission: rng.chance(0.6),
      deductAsJobCost: rng.chance(0.2),
      unitOfMeasure: t.unit,
      isInventory: rng.chance(0.5),
      account: intern(`Sales - ${family.replace(' Parts', '')}`),
      costOfSaleAccount: 'Cost of Goods Sold - Materials',
      assetAccount: rng.chance(0.5) ? 'Inventory Asset' : null,
      taxable: rng.pick([true, true, false, null]),
      ...vendors(ctx, t.vendors, cost),
      categories: [rng.pick(ctx.categoryIds.get(leaf) ?? [])].filter((id) => id !== undefined),
      assets: image(ctx, 'materials', itemCode),
      source: catalog ? 'Ferguson Catalog' : null,
      externalId: catalog ? `FC-${rng.int(100000, 999999)}` : null,
      chargeableByDefault: rng.chance(0.9),
      createdById: rng.pick(userIds),
      generalLedgerAccountId: rng.chance(0.3) ? rng.int(9000, 9050) : null,
    });
    record.defaultAssetUrl = record.assets[0]?.url ?? null;
    const item = stored(record, life.created, life.modified);
    item.deleted = life.deleted;
    ctx.materials.push(item);
    if (!life.deleted && life.active) pushTo(ctx.materialsByLeaf, leaf, record);
  }
}

const equipmentParts: Record<string, string[]> = {
  Furnaces: ['Ductwork', 'Thermostats & Controls', 'Filters'],
  'Air Conditioners': ['Refrigerant', 'Capacitors & Contactors'],
  'Heat Pumps': ['Refrigerant', 'Thermostats & Controls'],
  'Water Heaters': ['Valves', 'Fittings', 'Water Heater Parts'],
  Generators: ['Wire & Cable', 'Surge Protection'],
  'Electrical Panels': ['Breakers', 'Wire & Cable'],
};

/** Equipment with manufacturers, models, warranties, dimensions and install kits. */
export function generateEquipment(ctx: GenContext, n: number): void {
  const { rng } = ctx;
  const leaves = Object.entries(equipmentCatalog);
  const pools = new Map<string, MaterialRecord[]>();
  for (let i = 0; i < n; i++) {
    const [leaf, templates] = rng.pick(leaves);
    const t = rng.pick(templates);
    const manufacturer = rng.pick(t.manufacturers);
    const record: EquipmentRecord = newRecord('equipment', ctx.tenant.newId(rng.int(1, 3)));
    const cost = rng.float(t.cost[0], t.cost[1], 2);
    const name = flat(manufacturer, ' ', expand(t.name, rng));
    const model = `${initials(manufacturer)}${rng.int(100, 999)}${rng.pick(['A', 'B', 'C', 'X'])}${rng.int(10, 99)}`;
    const itemCode = code(`EQ-${initials(leaf)}`, i + 1);
    const years = rng.pick(t.warrantyYears);
    const life = lifecycle(ctx, i, n);
    const parts = poolOf(pools, ctx.materialsByLeaf, equipmentParts[leaf] ?? []);
    const kit = parts.length && rng.chance(0.4) ? [rng.pick(parts)] : [];
    const size = () => rng.int(t.size[0], t.size[1]);
    const sameLeaf = ctx.equipmentByLeaf.get(leaf) ?? [];
    Object.assign(record, {
      code: itemCode,
      displayName: name,
      description: flat('<p>', name, ', model ', model, '. ', rng.pick(blurbs), '</p>'),
      active: life.active,
      ...ladder(round(cost * rng.float(1.35, 1.9, 3)), cost, rng),
      manufacturer,
      model,
      // Warranty durations are in months (the contract does not state a unit).
      manufacturerWarranty: {
        duration: years * 12,
        description: intern(`${years}-year parts limited warranty`),
      },
      serviceProviderWarranty: { duration: 12, description: '1-year labor warranty' },
      categories: [rng.pick(ctx.categoryIds.get(leaf) ?? [])].filter((id) => id !== undefined),
      assets: image(ctx, 'equipment', itemCode),
      recommendations: kit.map((m) => ({ skuId: m.id, type: 'Material' as const })),
      upgrades: sameLeaf.length && rng.chance(0.2) ? [rng.pick(sameLeaf).id] : [],
      equipmentMaterials: kit.map((m) => ({ skuId: m.id, quantity: 1 })),
      ...vendors(ctx, [103, 108, 109, 101, 104], cost),
      account: 'Sales - Equipment',
      costOfSaleAccount: 'Cost of Goods Sold - Equipment',
      assetAccount: 'Inventory Asset',
      paysCommission: rng.chance(0.8),
      bonus: rng.pick([0, 25, 50, 100]),
      commissionBonus: rng.pick([0, 2, 3, 5]),
      hours: rng.pick([2, 4, 6, 8]),
      taxable: true,
      cost,
      unitOfMeasure: 'Each',
      isInventory: rng.chance(0.6),
      typeId: rng.pick([null, 1, 2, 3]),
      dimensions: { height: size(), width: size(), depth: size() },
    });
    record.defaultAssetUrl = record.assets[0]?.url ?? null;
    const item = stored(record, life.created, life.modified);
    item.deleted = life.deleted;
    ctx.equipment.push(item);
    if (!life.deleted && life.active) pushTo(ctx.equipmentByLeaf, leaf, record);
  }
}
