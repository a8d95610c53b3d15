import { newRecord } from '../requests/defaults';
import type { CategoryRecord, CategoryType } from '../store/types';
import { businessUnits, equipmentCatalog, materialCatalog, serviceCatalog } from './catalog';
import { type GenContext, pushTo } from './context';
import { stored } from './history';
import { slug } from './text';

const brands = [
  'Genteq',
  'US Motors',
  'Nidec',
  'Titan Pro',
  'Supco',
  'Packard',
  'Mars',
  'Emerson',
  'Oatey',
  'Sioux Chief',
];

/**
 * The category tree: trade roots with service areas (Services type), part families and an
 * equipment family (Materials type), brand sub-categories for big pricebooks, and one
 * inactive legacy category. Categories are created first, in the first tenth of the history.
 */
export function generateCategories(ctx: GenContext): void {
  const { rng, history, tenant } = ctx;
  const plan: { name: string; type: CategoryType; parent?: string; bu?: number; active?: boolean }[] = [];
  for (const [trade, areas] of Object.entries(serviceCatalog)) {
    plan.push({ name: trade, type: 'Services', bu: businessUnits[trade as keyof typeof businessUnits] });
    for (const area of Object.keys(areas))
      plan.push({ name: `${trade} ${area}`, type: 'Services', parent: trade });
  }
  const partLeaves: string[] = [];
  for (const [family, leaves] of Object.entries(materialCatalog)) {
    plan.push({ name: family, type: 'Materials' });
    for (const leaf of Object.keys(leaves)) {
      plan.push({ name: leaf, type: 'Materials', parent: family });
      partLeaves.push(leaf);
    }
  }
  plan.push({ name: 'Equipment', type: 'Materials' });
  for (const leaf of Object.keys(equipmentCatalog))
    plan.push({ name: leaf, type: 'Materials', parent: 'Equipment' });
  const extra = Math.min(200, Math.floor(ctx.items / 1000));
  for (let i = 0; i < extra; i++) {
    const leaf = partLeaves[i % partLeaves.length] ?? 'Motors';
    plan.push({
      name: `${leaf} - ${brands[Math.floor(i / partLeaves.length) % brands.length]}`,
      type: 'Materials',
      parent: leaf,
    });
  }
  plan.push({ name: 'Discontinued Parts', type: 'Materials', active: false });

  const idByName = new Map<string, number>();
  const positions = new Map<string, number>();
  plan.forEach((p, i) => {
    const record: CategoryRecord = newRecord('categories', tenant.newId(rng.int(1, 3)));
    const parentId = p.parent ? (idByName.get(p.parent) ?? null) : null;
    const siblings = p.parent ?? '';
    const position = positions.get(siblings) ?? 0;
    positions.set(siblings, position + 1);
    Object.assign(record, {
      name: p.name,
      active: p.active ?? true,
      categoryType: p.type,
      parentId,
      position,
      description: p.type === 'Services' ? `${p.name} services` : `${p.name} parts and supplies`,
      image: rng.chance(0.3) ? `Images/Category/${slug(p.name)}.png` : null,
      businessUnitIds: p.bu ? [p.bu] : [],
    });
    idByName.set(p.name, record.id);
    const created = history.created(i, plan.length, 0, 0.1);
    ctx.categories.push(stored(record, created, history.modified(created)));
    // Items are filed under leaves, or under a leaf's brand sub-categories.
    const leafKey =
      p.parent && idByName.has(p.parent) && p.name.startsWith(`${p.parent} - `) ? p.parent : p.name;
    if (p.parent) pushTo(ctx.categoryIds, leafKey, record.id);
  });
}
