import { type DependencyList, useCallback, useEffect, useState } from 'react';
import { describeError, ProblemError } from '../api';

export interface Loaded<T> {
  data: T | undefined;
  error: string | undefined;
  loading: boolean;
  reload: () => void;
}

type Listener = () => void;
const signedOutListeners = new Set<Listener>();

/** The session ended (a 401 anywhere): the shell shows the sign-in page again. */
export function onSignedOut(listener: Listener): () => void {
  signedOutListeners.add(listener);
  return () => signedOutListeners.delete(listener);
}

export function reportError(error: unknown): string {
  if (error instanceof ProblemError && error.status === 401) for (const l of signedOutListeners) l();
  return describeError(error);
}

/**
 * Loads data for a page, again whenever `deps` change or `reload()` is called; a late answer of an
 * earlier load never overwrites a newer one.
 */
export function useLoad<T>(load: () => Promise<T>, deps: DependencyList): Loaded<T> {
  const [state, setState] = useState<{ data?: T; error?: string; loading: boolean }>({ loading: true });
  const [tick, setTick] = useState(0);
  // biome-ignore lint/correctness/useExhaustiveDependencies: the caller names what the load depends on
  useEffect(() => {
    let current = true;
    setState((s) => ({ ...s, loading: true }));
    load().then(
      (data) => current && setState({ data, loading: false }),
      (error: unknown) => current && setState({ error: reportError(error), loading: false }),
    );
    return () => {
      current = false;
    };
  }, [...deps, tick]);
  const reload = useCallback(() => setTick((t) => t + 1), []);
  return { data: state.data, error: state.error, loading: state.loading, reload };
}
