import { compareStamp } from '../store/stamp';
import type { AnyRecord, Stored } from '../store/types';

type Key = (item: Stored<AnyRecord>) => number | string;

function field(name: string): Key {
  return (i) => {
    const v = (i.data as unknown as Record<string, unknown>)[name];
    return typeof v === 'number' || typeof v === 'string' ? v : '';
  };
}

const keys: Record<string, Key> = {
  Id: (i) => i.data.id,
  Code: field('code'),
  Name: field('name'),
  DisplayName: field('displayName'),
  Price: field('price'),
  MemberPrice: field('memberPrice'),
  AddOnPrice: field('addOnPrice'),
  AddOnMemberPrice: field('addOnMemberPrice'),
  MaterialsCost: field('cost'),
  Cost: field('cost'),
  Manufacturer: field('manufacturer'),
  PrimaryVendor: (i) => ('primaryVendor' in i.data ? (i.data.primaryVendor?.vendorName ?? '') : ''),
  Priority: () => 0,
};

/**
 * Sorts one page in place. The sandbox only half-honours `sort`, like the real API that
 * clients learned not to trust: rows are chosen for a page in the store's own order and
 * only then sorted, so a sorted page does not mean a sorted result set.
 */
export function sortPage(page: Stored<AnyRecord>[], sort: { field: string; descending: boolean }): void {
  const dir = sort.descending ? -1 : 1;
  if (sort.field === 'CreatedOn' || sort.field === 'ModifiedOn') {
    const pick =
      sort.field === 'CreatedOn' ? (i: Stored<AnyRecord>) => i.created : (i: Stored<AnyRecord>) => i.modified;
    page.sort((a, b) => dir * compareStamp(pick(a), pick(b)));
    return;
  }
  const key = keys[sort.field] ?? keys.Id;
  if (!key) return;
  page.sort((a, b) => {
    const x = key(a);
    const y = key(b);
    return dir * (x < y ? -1 : x > y ? 1 : 0);
  });
}
