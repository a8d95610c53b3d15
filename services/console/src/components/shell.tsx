import { type ReactNode, useEffect, useRef, useState } from 'react';
import { Link, useLocation } from 'wouter';
import { currentTenant } from '../api';
import { useCan, useSession } from '../session';
import { TenantSelect } from './tenant-select';

const sections = [
  { href: '/', label: 'Overview' },
  { href: '/syncs', label: 'Syncs' },
  { href: '/conflicts', label: 'Conflicts' },
  { href: '/pricebook', label: 'Pricebook' },
  { href: '/assistant', label: 'Assistant' },
  { href: '/proposals', label: 'Proposals' },
  { href: '/rejections', label: 'Rejections' },
  { href: '/tenants', label: 'Tenants', role: 'admin' },
  { href: '/webhooks', label: 'Webhooks', role: 'admin' },
] as const;

function isCurrent(location: string, href: string): boolean {
  return href === '/' ? location === '/' : location === href || location.startsWith(`${href}/`);
}

/** The frame of every signed-in page: a skip link, the sections, who is signed in, and sign-out. */
export function Shell(props: { children: ReactNode }) {
  const { session, signOut } = useSession();
  const [location] = useLocation();
  const isAdmin = useCan('admin');
  // Changing the tenant mounts the page again, so it loads what the new tenant has.
  const [tenant, setTenantShown] = useState<string | null>(currentTenant() ?? session.tenant);
  const main = useRef<HTMLElement>(null);
  // A new page moves the focus to its content, as a page load would for a screen reader.
  const first = useRef(true);
  // biome-ignore lint/correctness/useExhaustiveDependencies: the effect is for each new location
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    main.current?.focus();
  }, [location]);
  return (
    <>
      <a className="skip" href="#main">
        Skip to content
      </a>
      <header className="top">
        <span className="brand">Pricebook console</span>
        <nav aria-label="Sections">
          <ul>
            {sections
              .filter((s) => !('role' in s) || isAdmin)
              .map((s) => (
                <li key={s.href}>
                  <Link href={s.href} aria-current={isCurrent(location, s.href) ? 'page' : undefined}>
                    {s.label}
                  </Link>
                </li>
              ))}
          </ul>
        </nav>
        <div className="who">
          <span>{session.role}</span>
          <TenantSelect fallback={session.tenant} onChange={setTenantShown} />
          <button type="button" className="link" onClick={() => void signOut()}>
            Sign out
          </button>
        </div>
      </header>
      <main id="main" ref={main} tabIndex={-1} key={tenant ?? ''}>
        {props.children}
      </main>
    </>
  );
}
