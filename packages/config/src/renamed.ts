/**
 * Variables that were renamed so that one setting has one name across services. The old name is
 * still read for one release (with a warning), then dropped: remove its entry here.
 */
export const renamedVariables: Readonly<Record<string, string>> = {
  DB_POOL_MAX: 'DATABASE_POOL_MAX',
};

/** An old variable name found in the environment, for the warning the service logs once it has a logger. */
export interface RenamedVariable {
  old: string;
  name: string;
  /** The new name was set too, so the old one was ignored. */
  ignored: boolean;
}

/**
 * The environment with every old name copied to its new name (the new name wins when both are
 * set), and the old names found.
 *
 * @example
 * const { source, renamed } = withRenamedVariables({ DB_POOL_MAX: '4' });
 * // source.DATABASE_POOL_MAX === '4'; renamed = [{ old: 'DB_POOL_MAX', name: 'DATABASE_POOL_MAX', ignored: false }]
 */
export function withRenamedVariables(source: Record<string, string | undefined>): {
  source: Record<string, string | undefined>;
  renamed: RenamedVariable[];
} {
  const result = { ...source };
  const renamed: RenamedVariable[] = [];
  for (const [old, name] of Object.entries(renamedVariables)) {
    const value = source[old];
    if (value === undefined) continue;
    const ignored = source[name] !== undefined;
    if (!ignored) result[name] = value;
    renamed.push({ old, name, ignored });
  }
  return { source: result, renamed };
}
