import { useEffect } from 'react';
import { api, currentTenant, setTenant, unwrap } from '../api';
import { useLoad } from '../lib/use-load';

const changeListeners = new Set<() => void>();

/** A tenant was added, paused, resumed or removed: the header lists the tenants again. */
export function tenantsChanged(): void {
  for (const listener of changeListeners) listener();
}

/**
 * The header's tenant choice: every tenant the key may act for (`GET /api/tenants`). The choice is
 * remembered in the browser and sent as `Pricebook-Tenant` with every request; `onChange` lets the
 * shell load the page again for the new tenant.
 */
export function TenantSelect(props: {
  /** The API's default tenant for this key; null when every request must name one. */
  fallback: string | null;
  onChange: (tenant: string | null) => void;
}) {
  const { data, reload } = useLoad(() => api.GET('/api/tenants').then(unwrap), []);
  useEffect(() => {
    changeListeners.add(reload);
    return () => {
      changeListeners.delete(reload);
    };
  }, [reload]);
  const tenants = data?.tenants ?? [];
  const chosen = currentTenant();
  useEffect(() => {
    if (!data) return;
    // A remembered tenant the key may no longer see (removed from its binding) is forgotten.
    if (chosen && !data.tenants.some((t) => t.tenantId === chosen)) {
      setTenant(null);
      props.onChange(props.fallback);
      return;
    }
    // No default tenant and nothing chosen: the first one the key may see, rather than no page.
    const first = data.tenants[0];
    if (!chosen && props.fallback === null && first) {
      setTenant(String(first.tenantId));
      props.onChange(String(first.tenantId));
    }
  }, [data, chosen, props]);
  const value = chosen ?? props.fallback ?? '';
  // One tenant to choose from: nothing to choose.
  if (tenants.length <= 1 && (tenants[0]?.tenantId ?? value) === value) {
    return <span>tenant {value || '—'}</span>;
  }
  return (
    <label className="tenant-select">
      Tenant
      <select
        value={value}
        onChange={(e) => {
          setTenant(e.target.value);
          props.onChange(e.target.value);
        }}
      >
        {!tenants.some((t) => t.tenantId === value) && <option value={value}>{value}</option>}
        {tenants.map((t) => (
          <option key={t.tenantId} value={t.tenantId}>
            {t.tenantId} · {t.name}
            {t.status === 'active' ? '' : ` (${t.status})`}
          </option>
        ))}
      </select>
    </label>
  );
}
