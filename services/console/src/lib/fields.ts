/** The rows of a three-way comparison: one per field, with which side changed it since the base. */

export interface FieldRow {
  field: string;
  base: unknown;
  st: unknown;
  local: unknown;
  stChanged: boolean;
  localChanged: boolean;
  /** Both sides changed it differently: a person chooses. */
  disputed: boolean;
}

type Version = Record<string, unknown> | null | undefined;

export const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/**
 * Every field of the three versions, disputed ones first, then those one side changed, then the
 * rest, each group in name order.
 *
 * @example
 * fieldRows({ price: 1 }, { price: 2 }, { price: 3 }, ['price'])[0]; // { field: 'price', disputed: true, … }
 */
export function fieldRows(
  base: Version,
  st: Version,
  local: Version,
  disputed: readonly string[],
): FieldRow[] {
  const names = new Set([...Object.keys(base ?? {}), ...Object.keys(st ?? {}), ...Object.keys(local ?? {})]);
  const rows = [...names].map((field): FieldRow => {
    const b = base?.[field];
    const s = st?.[field];
    const l = local?.[field];
    return {
      field,
      base: b,
      st: s,
      local: l,
      stChanged: st !== null && st !== undefined && !same(b, s),
      localChanged: local !== null && local !== undefined && !same(b, l),
      disputed: disputed.includes(field),
    };
  });
  const rank = (r: FieldRow) => (r.disputed ? 0 : r.stChanged || r.localChanged ? 1 : 2);
  return rows.sort((a, b) => rank(a) - rank(b) || a.field.localeCompare(b.field));
}

/**
 * A value typed by a person, read as the type of the field's other values: a number for a number
 * field, true/false for a flag, JSON for objects and lists, text otherwise.
 *
 * @example
 * parseTyped('45.5', 42.5); // 45.5
 */
export function parseTyped(text: string, like: unknown): unknown {
  const trimmed = text.trim();
  if (typeof like === 'number') {
    const n = Number(trimmed);
    if (trimmed === '' || !Number.isFinite(n)) throw new Error(`"${text}" is not a number`);
    return n;
  }
  if (typeof like === 'boolean') {
    if (trimmed === 'true' || trimmed === 'false') return trimmed === 'true';
    throw new Error(`"${text}" is not true or false`);
  }
  if (typeof like === 'object' && like !== null) {
    try {
      return JSON.parse(trimmed);
    } catch {
      throw new Error(`"${text}" is not JSON`);
    }
  }
  return text;
}
