import type { Tenant } from './tenant';
import type { AnyRecord, Entity, ServiceRecord, Stored } from './types';

export interface ViewOptions {
  /** Application GUID whose externalData is shown; without one, externalData is null. */
  guid?: string | undefined;
  /** Keep fields the contract does not know (`sortOrder`), so clients prove they tolerate them. */
  extraFields: boolean;
  /**
   * `get` = GET/list shape (services add calculatedPrice/useStaticPrices);
   * `write` = POST/PATCH shape; `export` = export feed row.
   */
  shape: 'get' | 'write' | 'export';
  calculatePrices?: boolean;
}

/** The record as the API returns it. Builds a fresh object; the stored record is never exposed. */
export function view(
  tenant: Tenant,
  entity: Entity,
  item: Stored<AnyRecord>,
  options: ViewOptions,
): Record<string, unknown> {
  const out: Record<string, unknown> = { ...item.data };
  if (!options.extraFields) delete out.sortOrder;
  if (entity !== 'categories' && options.guid) {
    out.externalData = (item.external?.get(options.guid) ?? []).map((e) => ({ ...e }));
  }
  if (entity === 'services') {
    const data = item.data as ServiceRecord;
    // Not an array only in records corrupted through the control API: shown as stored.
    out.categories = !Array.isArray(data.categories)
      ? data.categories
      : data.categories.flatMap((id) => {
          // A deleted category still has a name; it shows as inactive rather than vanishing.
          const c = tenant.stores.categories.get(id);
          return c ? [{ id, name: c.data.name, active: c.data.active }] : [];
        });
    if (options.shape !== 'get') {
      delete out.calculatedPrice;
      delete out.useStaticPrices;
    } else if (options.calculatePrices) {
      // No dynamic pricing rules exist in the sandbox: the calculated price is the static one.
      out.calculatedPrice = data.price;
      out.useStaticPrices = true;
    }
  }
  return out;
}

const SERVICE_CATEGORIES = /"categories":\[([\d,]*)\]/g;

/**
 * `JSON.stringify(rows.map(view))`, fast where it matters: stored records already have the
 * default list shape (no application GUID, extra fields on), so a whole page is serialised
 * in one call, about twice as fast as a copy per record on 5,000 rows.
 */
export function rowsJson(
  tenant: Tenant,
  entity: Entity,
  rows: Stored<AnyRecord>[],
  options: ViewOptions,
): string {
  const stored =
    options.extraFields &&
    !options.guid &&
    !(entity === 'services' && (options.shape !== 'get' || options.calculatePrices));
  if (!stored) return JSON.stringify(rows.map((r) => view(tenant, entity, r, options)));
  const json = JSON.stringify(rows.map((r) => r.data));
  if (entity !== 'services') return json;
  // Services store category ids; swap in {id, name, active} objects in the finished text.
  // Safe to find by text: a quote inside a JSON string is always escaped, so this can only be
  // a key, and only service records themselves (not their nested objects) have "categories".
  const expanded = new Map<string, string>();
  return json.replace(SERVICE_CATEGORIES, (_, ids: string) => {
    const objects: string[] = [];
    for (const id of ids ? ids.split(',') : []) {
      let text = expanded.get(id);
      if (text === undefined) {
        const c = tenant.stores.categories.get(Number(id));
        text = c ? JSON.stringify({ id: c.data.id, name: c.data.name, active: c.data.active }) : '';
        expanded.set(id, text);
      }
      if (text) objects.push(text);
    }
    return `"categories":[${objects.join(',')}]`;
  });
}

/** A JSON envelope whose `data` array is already serialised. */
export function envelopeJson(
  head: Record<string, unknown>,
  rows: string,
  tail?: Record<string, unknown>,
): string {
  const start = JSON.stringify(head).slice(0, -1);
  const end = tail ? `,${JSON.stringify(tail).slice(1)}` : '}';
  return `${start}${start.length > 1 ? ',' : ''}"data":${rows}${end}`;
}
