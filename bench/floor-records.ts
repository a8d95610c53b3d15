/**
 * Records shaped like the sandbox's materials (the same fields, realistic text), about 1 KB of
 * JSON each, for the messaging floor: it carries the product's payloads without the product.
 */
export interface FloorRecord {
  id: number;
  code: string;
  displayName: string;
  description: string;
  cost: number;
  price: number;
  memberPrice: number;
  addOnPrice: number;
  addOnMemberPrice: number;
  hours: number;
  bonus: number;
  commissionBonus: number;
  paysCommission: boolean;
  active: boolean;
  deductAsJobCost: boolean;
  unitOfMeasure: string | null;
  isInventory: boolean;
  costOfSaleAccount: string | null;
  assetAccount: string | null;
  taxable: boolean | null;
  primaryVendor: {
    id: number;
    vendorName: string;
    vendorId: number;
    memo: string;
    cost: number;
    active: boolean;
  };
  otherVendors: null;
  categories: number[];
  assets: { alias: string; fileName: string; type: string; url: string }[];
  isConfigurableMaterial: boolean;
  chargeableByDefault: boolean;
  variationsOrConfigurableMaterials: null;
  createdById: number;
  displayInAmount: boolean;
  generalLedgerAccountId: number | null;
  isOtherDirectCost: boolean;
  costTypeId: number | null;
  externalData: null;
  createdOn: string;
  modifiedOn: string;
}

const parts = ['Copper Elbow', 'PVC Coupling', 'Breaker 20A', 'Flex Duct 6in', 'Ball Valve', 'Wire Nut'];
const brands = ['Nibco', 'Charlotte', 'Square D', 'Atco', 'Apollo', 'Ideal'];

/** The `n`-th record (0-based), the same every time. */
export function floorRecord(n: number): FloorRecord {
  const id = 10_000_000 + n;
  const part = parts[n % parts.length] ?? 'Part';
  const brand = brands[n % brands.length] ?? 'Brand';
  const cost = 1 + (n % 997) / 10;
  const stamp = new Date(Date.UTC(2025, 0, 1) + n * 1000).toISOString().replace('Z', '0000Z');
  return {
    id,
    code: `MAT-${id}`,
    displayName: `${brand} ${part} #${n % 1000}`,
    description: `${brand} ${part}, lead-free, rated for residential and light commercial HVAC, plumbing and electrical work. Stocked on trucks; reorder when fewer than ten remain. Lot ${n}.`,
    cost,
    price: Math.round(cost * 250) / 100,
    memberPrice: Math.round(cost * 225) / 100,
    addOnPrice: Math.round(cost * 200) / 100,
    addOnMemberPrice: Math.round(cost * 180) / 100,
    hours: 0,
    bonus: 0,
    commissionBonus: 0,
    paysCommission: false,
    active: true,
    deductAsJobCost: false,
    unitOfMeasure: 'Each',
    isInventory: n % 3 === 0,
    costOfSaleAccount: 'Cost of Goods Sold',
    assetAccount: 'Inventory Asset',
    taxable: true,
    primaryVendor: {
      id: 500 + (n % 40),
      vendorName: `${brand} Supply Co.`,
      vendorId: 900 + (n % 40),
      memo: 'Net 30',
      cost,
      active: true,
    },
    otherVendors: null,
    categories: [100 + (n % 25), 200 + (n % 7)],
    assets: [
      {
        alias: 'photo',
        fileName: `mat-${id}.jpg`,
        type: 'Image',
        url: `https://example.com/images/mat-${id}.jpg`,
      },
    ],
    isConfigurableMaterial: false,
    chargeableByDefault: true,
    variationsOrConfigurableMaterials: null,
    createdById: 1,
    displayInAmount: false,
    generalLedgerAccountId: 4000 + (n % 10),
    isOtherDirectCost: false,
    costTypeId: null,
    externalData: null,
    createdOn: stamp,
    modifiedOn: stamp,
  };
}
