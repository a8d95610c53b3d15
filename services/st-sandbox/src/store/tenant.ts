import { EntityStore } from './entity-store';
import { StampSource } from './stamp';
import type { AnyRecord, Entity, RecordOf } from './types';

export interface TenantCredentials {
  clientId: string;
  clientSecret: string;
  /** App keys connected to this tenant; an app key is shared by every tenant using the app. */
  appKey: string;
}

type Stores = { [E in Entity]: EntityStore<RecordOf[E]> };

/** Vendors the sandbox knows by id; requests may name others, which get a placeholder name. */
export const defaultVendors: ReadonlyMap<number, string> = new Map([
  [101, 'Ferguson Enterprises'],
  [102, 'Johnstone Supply'],
  [103, 'Carrier Enterprise'],
  [104, 'Graybar Electric'],
  [105, 'Winsupply'],
  [106, 'Grainger'],
  [107, 'CED Consolidated Electrical'],
  [108, 'Watsco'],
  [109, 'Lennox PartsPlus'],
  [110, 'Hajoca'],
  [111, 'Border States'],
  [112, 'Home Depot Pro'],
]);

/** One ServiceTitan tenant: its credentials and its pricebook. */
export class Tenant {
  readonly stores: Stores = {
    categories: new EntityStore('categories'),
    materials: new EntityStore('materials'),
    services: new EntityStore('services'),
    equipment: new EntityStore('equipment'),
  };
  readonly stamps = new StampSource();
  readonly vendors = new Map(defaultVendors);
  /** Random per tenant instance, so export tokens from an earlier sandbox state are refused. */
  readonly generation = Math.floor(Math.random() * 2 ** 31);
  private lastId: number;

  constructor(
    readonly id: string,
    readonly credentials: TenantCredentials,
    firstId = 20_000_000,
  ) {
    this.lastId = firstId;
  }

  store<E extends Entity>(entity: E): Stores[E] {
    return this.stores[entity];
  }

  /**
   * The entity's store typed for code that treats every entity alike. Sound because each
   * store only ever receives records its own entity's code built.
   */
  anyStore(entity: Entity): EntityStore<AnyRecord> {
    return this.stores[entity] as unknown as EntityStore<AnyRecord>;
  }

  /** Ids come from one sequence per tenant, so a sku id is unique across entities. */
  newId(gap = 1): number {
    this.lastId += Math.max(1, gap);
    return this.lastId;
  }

  vendorName(vendorId: number): string {
    return this.vendors.get(vendorId) ?? `Vendor ${vendorId}`;
  }

  counts(): Record<Entity, number> {
    return {
      categories: this.stores.categories.size,
      materials: this.stores.materials.size,
      services: this.stores.services.size,
      equipment: this.stores.equipment.size,
    };
  }
}
