import { AppError } from '@pricebook/errors';
import type { Context } from 'hono';
import type { Principal } from '../auth/api-keys';
import { requestTenant } from '../auth/resolve-tenant';
import type { AppEnv, RouteDeps } from '../context';
import { defaultProposalTtlMs } from './proposals';
import type { ToolContext } from './tools';

/** The caller the guard let in; without one the route was wired wrongly. */
export function requestPrincipal(c: Context<AppEnv>): Principal {
  const principal = c.get('principal');
  if (!principal) throw new AppError('unauthorized', 'an API key is required: Authorization: Bearer <key>');
  return principal;
}

/**
 * What the assistant's tools run with for this request: its tenant and caller (by key label),
 * the API's database and embedder. Nothing in it reaches the model but tool results.
 */
export function toolContext(
  deps: RouteDeps,
  c: Context<AppEnv>,
  columnDimensions: () => Promise<number>,
): ToolContext {
  const principal = requestPrincipal(c);
  return {
    orm: deps.orm,
    embedder: deps.embedder,
    columnDimensions,
    log: c.get('log').child({ component: 'assistant' }),
    tenantId: requestTenant(c).tenantId,
    user: principal.label,
    role: principal.role,
    runStaleAfterMs: deps.config.runStaleAfterMs,
    proposalTtlMs: deps.config.assistant?.proposalTtlMs ?? defaultProposalTtlMs,
    calls: [],
    logged: [],
  };
}
