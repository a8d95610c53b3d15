import type { Stamp } from './stamp';

export const entities = ['categories', 'materials', 'services', 'equipment'] as const;
export type Entity = (typeof entities)[number];
export type SkuEntity = Exclude<Entity, 'categories'>;

/** Singular names, for messages such as "Material with id 5 was not found.". */
export const entityLabels: Record<Entity, string> = {
  categories: 'Category',
  materials: 'Material',
  services: 'Service',
  equipment: 'Equipment',
};

export type CategoryType = 'Services' | 'Materials';
export type AssetType = 'Other' | 'Image' | 'Video' | 'Attachment' | 'VideoFile';

export interface ExternalDataModel {
  key: string;
  value: string;
}
export interface SubAccount {
  id: number;
  cost: number;
  accountName: string;
}
export interface SkuVendor {
  id: number;
  vendorName: string;
  vendorId: number;
  memo: string | null;
  vendorPart: string | null;
  cost: number;
  active: boolean;
  primarySubAccount: SubAccount | null;
  otherSubAccounts: SubAccount[] | null;
}
export interface SkuAsset {
  alias: string | null;
  fileName: string | null;
  isDefault: boolean;
  type: AssetType;
  url: string;
}
export interface Warranty {
  duration: number;
  description: string | null;
}
export interface SkuLink {
  skuId: number;
  quantity: number;
}
export interface EquipmentRecommendation {
  skuId: number;
  type: 'Service' | 'Material';
}
export interface Dimensions {
  height: number | null;
  width: number | null;
  depth: number | null;
}

/** Fields every stored record has, whatever its entity. */
export interface BaseRecord {
  id: number;
  active: boolean;
  createdOn: string;
  modifiedOn: string;
  /**
   * The invented "unknown" field clients must tolerate. It lives on the record, like
   * `externalData: null` below, so a page of records serialises in one JSON.stringify call;
   * views drop it when extra fields are off.
   */
  sortOrder: number;
}

export interface CategoryRecord extends BaseRecord {
  name: string;
  description: string | null;
  image: string | null;
  parentId: number | null;
  position: number;
  categoryType: CategoryType;
  subcategories: CategoryRecord[] | null;
  businessUnitIds: number[] | null;
  skuImages: string[] | null;
  skuVideos: string[] | null;
  source: string | null;
  externalId: string | null;
  hideInMobile: boolean;
}

/** Fields shared by materials, services and equipment. */
interface PricedSku extends BaseRecord {
  code: string;
  displayName: string | null;
  description: string;
  price: number;
  memberPrice: number;
  addOnPrice: number;
  addOnMemberPrice: number;
  hours: number;
  bonus: number;
  commissionBonus: number;
  paysCommission: boolean;
  account: string | null;
  assets: SkuAsset[];
  source: string | null;
  externalId: string | null;
  /** Always null here: each application's entries live in `Stored.external`. */
  externalData: null;
  businessUnitId: number | null;
  defaultAssetUrl: string | null;
  budgetCostCode: string | null;
  budgetCostType: string | null;
}

export interface MaterialRecord extends PricedSku {
  cost: number;
  deductAsJobCost: boolean;
  unitOfMeasure: string | null;
  isInventory: boolean;
  costOfSaleAccount: string | null;
  assetAccount: string | null;
  taxable: boolean | null;
  primaryVendor: SkuVendor | null;
  otherVendors: SkuVendor[] | null;
  categories: number[];
  isConfigurableMaterial: boolean;
  chargeableByDefault: boolean;
  variationsOrConfigurableMaterials: number[] | null;
  createdById: number;
  displayInAmount: boolean;
  generalLedgerAccountId: number | null;
  isOtherDirectCost: boolean;
  costTypeId: number | null;
}

/** Service categories are stored as ids; responses expand them to `{id, name, active}`. */
export interface ServiceRecord extends PricedSku {
  warranty: Warranty | null;
  categories: number[];
  taxable: boolean;
  isLabor: boolean | null;
  recommendations: number[];
  upgrades: number[];
  serviceMaterials: SkuLink[];
  serviceEquipment: SkuLink[];
  crossSaleGroup: string | null;
  cost: number;
  soldByCommission: number;
  /** GET/list values without `calculatePrices`; views drop both from POST/PATCH and export rows. */
  calculatedPrice: number | null;
  useStaticPrices: boolean | null;
}

export interface EquipmentRecord extends PricedSku {
  manufacturer: string | null;
  model: string | null;
  manufacturerWarranty: Warranty;
  serviceProviderWarranty: Warranty;
  categories: number[];
  recommendations: EquipmentRecommendation[];
  upgrades: number[];
  equipmentMaterials: SkuLink[];
  primaryVendor: SkuVendor | null;
  otherVendors: SkuVendor[] | null;
  costOfSaleAccount: string | null;
  assetAccount: string | null;
  crossSaleGroup: string | null;
  taxable: boolean;
  cost: number;
  unitOfMeasure: string | null;
  isInventory: boolean;
  isConfigurableEquipment: boolean;
  variationsOrConfigurableEquipment: number[] | null;
  typeId: number | null;
  displayInAmount: boolean;
  generalLedgerAccountId: number | null;
  dimensions: Dimensions | null;
}

export interface RecordOf {
  categories: CategoryRecord;
  materials: MaterialRecord;
  services: ServiceRecord;
  equipment: EquipmentRecord;
}
export type AnyRecord = RecordOf[Entity];

/** A record plus the sandbox's bookkeeping, which never reaches an API response. */
export interface Stored<R extends BaseRecord = AnyRecord> {
  data: R;
  created: Stamp;
  modified: Stamp;
  /** Position of this record's latest version in its entity's change log. */
  seq: number;
  deleted: boolean;
  /** externalData per application GUID (lower-case); each app only sees its own. */
  external: Map<string, ExternalDataModel[]> | undefined;
}
