/**
 * Remembers when something last happened per key, so it happens at most once per interval.
 * Bounded: the oldest keys are forgotten past `maxKeys`.
 *
 * @example
 * const progress = createThrottle(2000);
 * if (progress.due(syncLogId)) emitProgress();
 */
export function createThrottle(intervalMs: number, maxKeys = 1000) {
  const last = new Map<string, number>();
  return {
    /** True (and remembered) when `key` last fired `intervalMs` ago or never. */
    due(key: string, now = Date.now()): boolean {
      const at = last.get(key);
      if (at !== undefined && now - at < intervalMs) return false;
      last.delete(key);
      last.set(key, now);
      if (last.size > maxKeys) {
        const oldest = last.keys().next();
        if (!oldest.done) last.delete(oldest.value);
      }
      return true;
    },
    /** Counts `key` as just fired. */
    touch(key: string, now = Date.now()): void {
      last.delete(key);
      last.set(key, now);
    },
  };
}

export type Throttle = ReturnType<typeof createThrottle>;
