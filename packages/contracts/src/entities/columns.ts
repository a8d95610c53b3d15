import type { TypedColumn, TypedColumnKind } from './descriptor';

/**
 * A typed column mirroring one top-level record key.
 *
 * @example
 * column('display_name', 'displayName', 'text');
 */
export const column = (name: string, key: string, kind: TypedColumnKind): TypedColumn => ({
  column: name,
  path: [key],
  kind,
});
