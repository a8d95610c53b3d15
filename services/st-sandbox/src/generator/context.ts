import type { Rng } from '../random';
import type { Tenant } from '../store/tenant';
import type { CategoryRecord, EquipmentRecord, MaterialRecord, ServiceRecord, Stored } from '../store/types';
import type { History } from './history';

/** Shared state while one pricebook is generated. */
export interface GenContext {
  tenant: Tenant;
  rng: Rng;
  history: History;
  items: number;
  /** Leaf category name → the ids items of that kind may be filed under. */
  categoryIds: Map<string, number[]>;
  categories: Stored<CategoryRecord>[];
  materials: Stored<MaterialRecord>[];
  equipment: Stored<EquipmentRecord>[];
  services: Stored<ServiceRecord>[];
  materialsByLeaf: Map<string, MaterialRecord[]>;
  equipmentByLeaf: Map<string, EquipmentRecord[]>;
}

/** Records of several leaves as one list, built once per combination (the generator's hot path). */
export function poolOf<T>(cache: Map<string, T[]>, byLeaf: Map<string, T[]>, leaves: readonly string[]): T[] {
  const key = leaves.join('|');
  let pool = cache.get(key);
  if (!pool) {
    pool = leaves.flatMap((l) => byLeaf.get(l) ?? []);
    cache.set(key, pool);
  }
  return pool;
}

export function pushTo<T>(map: Map<string, T[]>, key: string, value: T): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
