import type { components } from '@pricebook/client';
import { createContext, type ReactNode, useCallback, useContext, useEffect, useState } from 'react';
import { api, setCsrfToken, unwrap } from './api';
import { onSignedOut, reportError } from './lib/use-load';

export type Session = components['schemas']['Session'];
type Role = Session['role'];

interface SessionState {
  session: Session | null;
  signIn: (apiKey: string) => Promise<void>;
  signOut: () => Promise<void>;
}

const SessionContext = createContext<SessionState | null>(null);

/** The signed-in session; only pages under the signed-in shell call it. */
export function useSession(): SessionState & { session: Session } {
  const state = useContext(SessionContext);
  if (!state?.session) throw new Error('useSession outside a signed-in page');
  return { ...state, session: state.session };
}

const ranks: Record<Role, number> = { viewer: 0, operator: 1, admin: 2 };

/** Whether the signed-in role may do what needs `role` (the API decides; this only hides buttons). */
export function useCan(role: Role): boolean {
  return ranks[useSession().session.role] >= ranks[role];
}

function adopt(session: Session | null): Session | null {
  setCsrfToken(session?.csrfToken ?? null);
  return session;
}

/**
 * Finds out whether the browser already holds a session (`GET /api/session`), and signs in and
 * out. Renders `signedOut` until there is one.
 */
export function SessionProvider(props: {
  children: ReactNode;
  signedOut: (signIn: (apiKey: string) => Promise<void>) => ReactNode;
}) {
  const [session, setSession] = useState<Session | null | undefined>(undefined);

  useEffect(() => {
    api.GET('/api/session').then(
      (result) => setSession(adopt(result.response.ok ? (result.data ?? null) : null)),
      () => setSession(null),
    );
    return onSignedOut(() => setSession(adopt(null)));
  }, []);

  const signIn = useCallback(async (apiKey: string) => {
    const created = unwrap(await api.POST('/api/session', { body: { apiKey } }));
    setSession(adopt(created));
  }, []);

  const signOut = useCallback(async () => {
    try {
      await api.DELETE('/api/session');
    } catch (error) {
      reportError(error);
    }
    setSession(adopt(null));
  }, []);

  if (session === undefined) {
    return (
      <p className="loading" role="status">
        Loading…
      </p>
    );
  }
  if (session === null) return <>{props.signedOut(signIn)}</>;
  return (
    <SessionContext.Provider value={{ session, signIn, signOut }}>{props.children}</SessionContext.Provider>
  );
}
