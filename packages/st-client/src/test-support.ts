import { type EntityType, entityTypes, type StRecordOf, stRecordSchemas } from '@pricebook/contracts';
import { type SandboxItem, type StartedSandbox, stCredentials } from '@pricebook/testing';
import { StClient, type StClientOptions } from './client';
import type { StListPage } from './pagination';

/** Test-only helpers for the unit and sandbox integration tests (not exported by the package). */

export { entityTypes };

/** A client for a started sandbox; each test file's tenant gets the process-wide limiter. */
export function sandboxClient(sb: StartedSandbox, extra: Partial<StClientOptions> = {}): StClient {
  return new StClient({ ...stCredentials(sb), ...extra });
}

/** Every page of a list, collected. */
export async function collectList<E extends EntityType>(
  client: StClient,
  entity: E,
): Promise<{ records: StRecordOf<E>[]; pages: StListPage<E>[] }> {
  const pages: StListPage<E>[] = [];
  for await (const page of client.list(entity)) pages.push(page);
  return { records: pages.flatMap((p) => p.records), pages };
}

/** The sandbox's raw item as the API record it stands for (its bookkeeping removed), parsed. */
export function parseSandboxItem<E extends EntityType>(entity: E, item: SandboxItem): StRecordOf<E> {
  const { deleted: _deleted, externalDataByApp: _external, ...record } = item;
  return stRecordSchemas[entity].parse(record) as StRecordOf<E>;
}

/** Ids that occur more than once. */
export function duplicates(ids: readonly number[]): number[] {
  const seen = new Set<number>();
  const dup = new Set<number>();
  for (const id of ids) (seen.has(id) ? dup : seen).add(id);
  return [...dup];
}

/** A raw ST material row for the unit tests. */
export function rawMaterial(id: number, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id,
    code: `M-${id}`,
    displayName: `Material ${id}`,
    description: 'desc',
    cost: 1.5,
    active: true,
    price: 10,
    memberPrice: 9,
    addOnPrice: 8,
    addOnMemberPrice: 7,
    hours: 0,
    bonus: 0,
    commissionBonus: 0,
    paysCommission: false,
    deductAsJobCost: false,
    unitOfMeasure: null,
    isInventory: false,
    account: null,
    costOfSaleAccount: null,
    assetAccount: null,
    taxable: true,
    primaryVendor: {
      id: 5,
      vendorName: 'Ferguson',
      vendorId: 50,
      memo: null,
      vendorPart: 'P1',
      cost: 1.5,
      active: true,
      primarySubAccount: { id: 9, cost: 1.5, accountName: 'Main' },
      otherSubAccounts: [],
    },
    otherVendors: [],
    categories: [1, 2],
    assets: [{ alias: null, fileName: 'f.png', isDefault: true, type: 'Image', url: 'Images/f.png' }],
    modifiedOn: '2024-05-01T10:00:00.1234567Z',
    source: null,
    externalId: null,
    externalData: null,
    isConfigurableMaterial: false,
    chargeableByDefault: true,
    variationsOrConfigurableMaterials: null,
    businessUnitId: null,
    createdById: 1,
    createdOn: '2024-01-01T00:00:00Z',
    displayInAmount: false,
    generalLedgerAccountId: null,
    isOtherDirectCost: false,
    costTypeId: null,
    defaultAssetUrl: null,
    budgetCostCode: null,
    budgetCostType: null,
    ...overrides,
  };
}
