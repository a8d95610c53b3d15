import { createRng } from '../random';
import { maxStamp, type Stamp, ZERO_STAMP } from '../store/stamp';
import type { Tenant } from '../store/tenant';
import type { AnyRecord, Entity, Stored } from '../store/types';
import { generateCategories } from './categories';
import type { GenContext } from './context';
import { addTies, History } from './history';
import { generateServices } from './services';
import { generateEquipment, generateMaterials } from './skus';

export interface GenerateOptions {
  /** Materials + services + equipment (categories come on top). 0 leaves the tenant empty. */
  items: number;
  seed: number;
  /** "Now" for the invented history; with the same seed and now, the output is identical. */
  nowMs: number;
}

/** How `items` splits: 60% materials, 10% equipment, the rest services. */
export function itemSplit(items: number): Record<Exclude<Entity, 'categories'>, number> {
  const materials = Math.round(items * 0.6);
  const equipment = Math.round(items * 0.1);
  return { materials, equipment, services: items - materials - equipment };
}

/**
 * Fills an empty tenant with a realistic HVAC / plumbing / electrical pricebook, the same
 * for the same seed and "now". Records are loaded as history: each entity's export feed
 * lists them in modification order, and runs of them share a `modifiedOn`.
 */
export function generatePricebook(tenant: Tenant, options: GenerateOptions): void {
  if (options.items <= 0) return;
  const rng = createRng(options.seed);
  const ctx: GenContext = {
    tenant,
    rng,
    history: new History(rng, options.nowMs),
    items: options.items,
    categoryIds: new Map(),
    categories: [],
    materials: [],
    equipment: [],
    services: [],
    materialsByLeaf: new Map(),
    equipmentByLeaf: new Map(),
  };
  const split = itemSplit(options.items);
  generateCategories(ctx);
  generateMaterials(ctx, split.materials);
  generateEquipment(ctx, split.equipment);
  generateServices(ctx, split.services);

  let latest: Stamp = ZERO_STAMP;
  const load = (entity: Entity, items: Stored<AnyRecord>[]) => {
    const last = addTies(items, rng);
    if (last) latest = maxStamp(latest, last);
    const store = tenant.anyStore(entity);
    for (const item of items) store.load(item);
    store.finishLoad();
  };
  load('categories', ctx.categories);
  load('materials', ctx.materials);
  load('equipment', ctx.equipment);
  load('services', ctx.services);
  tenant.stamps.observe(latest);
}
