import { createRoute } from '@hono/zod-openapi';
import { ProposalParams, ProposalResponse } from '@pricebook/contracts';
import { confirmProposal, rejectProposal } from '../assistant/proposals';
import { requestPrincipal } from '../assistant/request-context';
import { requestTenant } from '../auth/resolve-tenant';
import type { ApiApp, RouteDeps } from '../context';
import { problemResponses } from '../openapi/problems';

/**
 * `POST /api/assistant/proposals/{id}/confirm` and `…/reject` (operator): a person's decision on a
 * proposal. Confirming writes its edits as local edits in one change-set (kind `assistant`).
 *
 * @example
 * registerAssistantProposalDecisions(app, deps);
 */
export function registerAssistantProposalDecisions(app: ApiApp, deps: RouteDeps): void {
  const confirm = createRoute({
    method: 'post',
    path: '/api/assistant/proposals/{id}/confirm',
    tags: ['Assistant'],
    summary: 'Confirm a proposal',
    description:
      "Writes the proposal's edits as local edits, all or nothing, in one change-set (kind `assistant`, actor " +
      '`assistant:<your key label>`), audited like every edit; the next push sends them to ServiceTitan under the ' +
      'push brake, and `POST /api/changesets/{changeSetId}/revert` undoes them. Refused (409) when any record ' +
      'changed since the proposal (its version moved: a later edit is never overwritten), when the proposal ' +
      'expired, or when it was already confirmed or rejected. Role: operator.',
    security: [{ bearerAuth: [] }],
    middleware: [deps.guard('operator')] as const,
    request: { params: ProposalParams },
    responses: {
      200: {
        description: 'The proposal, confirmed, with its change-set',
        content: { 'application/json': { schema: ProposalResponse } },
      },
      ...problemResponses(400, 401, 403, 404, 409, 500),
    },
  });
  app.openapi(confirm, async (c) => {
    const tenantId = requestTenant(c).tenantId;
    const decidedBy = requestPrincipal(c).label;
    const proposal = await confirmProposal(deps.orm, { tenantId, id: c.req.valid('param').id, decidedBy });
    c.get('log').info(
      { proposalId: proposal.id, changeSetId: proposal.changeSetId, plan: proposal.plan, decidedBy },
      'assistant proposal confirmed',
    );
    return c.json({ success: true as const, proposal }, 200);
  });

  const reject = createRoute({
    method: 'post',
    path: '/api/assistant/proposals/{id}/reject',
    tags: ['Assistant'],
    summary: 'Reject a proposal',
    description:
      'Closes the proposal without writing anything. Refused (409) once it is decided or expired. Role: operator.',
    security: [{ bearerAuth: [] }],
    middleware: [deps.guard('operator')] as const,
    request: { params: ProposalParams },
    responses: {
      200: {
        description: 'The proposal, rejected',
        content: { 'application/json': { schema: ProposalResponse } },
      },
      ...problemResponses(400, 401, 403, 404, 409, 500),
    },
  });
  app.openapi(reject, async (c) => {
    const tenantId = requestTenant(c).tenantId;
    const decidedBy = requestPrincipal(c).label;
    const proposal = await rejectProposal(deps.orm, { tenantId, id: c.req.valid('param').id, decidedBy });
    c.get('log').info({ proposalId: proposal.id, decidedBy }, 'assistant proposal rejected');
    return c.json({ success: true as const, proposal }, 200);
  });
}
