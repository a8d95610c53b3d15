import type { Rng } from '../random';

/** Expands `{a|b|c}` choices in a template. */
export function expand(template: string, rng: Rng): string {
  return template.replace(/\{([^}]+)\}/g, (_, choices: string) => rng.pick(choices.split('|')));
}

/** "Capacitors & Contactors" → "CC". */
export function initials(name: string): string {
  return name
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w.charAt(0).toUpperCase())
    .join('');
}

export function slug(name: string): string {
  return name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}

export function code(prefix: string, n: number): string {
  return flat(prefix, '-', String(n).padStart(5, '0'));
}

/**
 * Joins parts into one flat string. Template literals build rope strings in V8, which
 * cost several times the memory of the text when kept for 100k+ generated records.
 */
export function flat(...parts: (string | number)[]): string {
  return parts.join('');
}

const interned = new Map<string, string>();

/** One shared instance per distinct text, for values that repeat across many records. */
export function intern(text: string): string {
  const known = interned.get(text);
  if (known !== undefined) return known;
  const copy = flat(text);
  interned.set(copy, copy);
  return copy;
}
