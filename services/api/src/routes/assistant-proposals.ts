import { createRoute } from '@hono/zod-openapi';
import { ProposalList, ProposalParams, ProposalResponse, ProposalsQuery } from '@pricebook/contracts';
import { getProposal, listProposals } from '../assistant/proposals';
import { requestTenant } from '../auth/resolve-tenant';
import type { ApiApp, RouteDeps } from '../context';
import { problemResponses } from '../openapi/problems';

/**
 * `GET /api/assistant/proposals` and `GET /api/assistant/proposals/{id}` (viewer): the edits the
 * assistant proposed, with their plans, status and the tool calls that drafted them.
 *
 * @example
 * registerAssistantProposals(app, deps);
 */
export function registerAssistantProposals(app: ApiApp, deps: RouteDeps): void {
  const list = createRoute({
    method: 'get',
    path: '/api/assistant/proposals',
    tags: ['Assistant'],
    summary: "List the assistant's proposals",
    description:
      'Newest first; `status` filters (`proposed` = still open: not decided and not expired). Role: viewer.',
    security: [{ bearerAuth: [] }],
    middleware: [deps.guard('viewer')] as const,
    request: { query: ProposalsQuery },
    responses: {
      200: { description: 'The proposals', content: { 'application/json': { schema: ProposalList } } },
      ...problemResponses(400, 401, 403, 404, 500),
    },
  });
  app.openapi(list, async (c) => {
    const proposals = await listProposals(deps.orm, requestTenant(c).tenantId, c.req.valid('query'));
    return c.json({ success: true as const, proposals }, 200);
  });

  const get = createRoute({
    method: 'get',
    path: '/api/assistant/proposals/{id}',
    tags: ['Assistant'],
    summary: 'Get a proposal',
    description:
      'The items with their values before and after, the plan (price changes, largest relative change), the ' +
      'status and the tool calls of the conversation. Role: viewer.',
    security: [{ bearerAuth: [] }],
    middleware: [deps.guard('viewer')] as const,
    request: { params: ProposalParams },
    responses: {
      200: { description: 'The proposal', content: { 'application/json': { schema: ProposalResponse } } },
      ...problemResponses(400, 401, 403, 404, 500),
    },
  });
  app.openapi(get, async (c) => {
    const proposal = await getProposal(deps.orm, requestTenant(c).tenantId, c.req.valid('param').id);
    return c.json({ success: true as const, proposal }, 200);
  });
}
