import { randomUUID } from 'node:crypto';
import { defineEntity, type InferEntity } from '@mikro-orm/core';
import {
  entityTypes,
  type ProposalItem,
  type ProposalPlan,
  type ProposalToolCall,
  proposalStatuses,
} from '@pricebook/contracts';

const p = defineEntity.properties;

/**
 * A proposal of the assistant (`/api/assistant/proposals`): field edits of one entity with each
 * row's version read when it was drafted, the plan shown to a person, and the tool calls of the
 * conversation. Nothing in it is written to the pricebook until an operator confirms it; the
 * confirmation refuses if any row's version has moved since.
 */
export const AssistantProposalRow = defineEntity({
  name: 'AssistantProposalRow',
  tableName: 'pricebook_assistant_proposals',
  indexes: [
    { name: 'pricebook_assistant_proposals_tenant_idx', properties: ['tenantId', 'createdAt', 'id'] },
  ],
  properties: {
    id: p
      .uuid()
      .primary()
      .defaultRaw('gen_random_uuid()')
      .onCreate(() => randomUUID()),
    tenantId: p.bigint('string'),
    entity: p.enum([...entityTypes]),
    summary: p.text(),
    status: p.enum([...proposalStatuses]).default('proposed'),
    createdBy: p.text(),
    createdAt: p.datetime().defaultRaw('now()'),
    expiresAt: p.datetime(),
    decidedBy: p.text().nullable(),
    decidedAt: p.datetime().nullable(),
    changeSetId: p.uuid().fieldName('changeset_id').nullable(),
    items: p.json<ProposalItem[]>(),
    plan: p.json<ProposalPlan>(),
    toolCalls: p.json<ProposalToolCall[]>(),
  },
});
export type AssistantProposalRow = InferEntity<typeof AssistantProposalRow>;
