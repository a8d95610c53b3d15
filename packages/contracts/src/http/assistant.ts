import { z } from 'zod';
import { EntityType } from '../entities';
import { BULK_EDIT_MAX_ITEMS, SafeText } from '../limits';
import { JsonObject } from '../messaging/common';
import { IsoDateTime } from '../messaging/envelope';

const proposalId = '7c1d2e3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f';
const recordId = '0b8e4d1a-5c6f-4e2b-8d9a-7c3b2a1f0e9d';

/** The life of an assistant's proposal: only `proposed` can be confirmed or rejected. */
export const proposalStatuses = ['proposed', 'confirmed', 'rejected', 'expired'] as const;
export const ProposalStatus = z.enum(proposalStatuses);
export type ProposalStatus = z.infer<typeof ProposalStatus>;

// ---- The assistant's tools: one input schema each, shared by the chat and the MCP server. ----

/** `search`: the tenant's records by words or meaning (the search route's query). */
export const SearchToolInput = z.object({
  q: z.string().trim().min(1).max(200).describe('What to look for, in any phrasing'),
  entity: EntityType.optional().describe('Only this entity: categories, materials, services or equipment'),
  mode: z.enum(['text', 'semantic', 'hybrid']).default('hybrid').describe('How to match (default hybrid)'),
  limit: z.number().int().min(1).max(50).default(20).describe('At most this many results'),
});
export type SearchToolInput = z.infer<typeof SearchToolInput>;

/** `get_item`: one record with its latest changes. */
export const GetItemToolInput = z.object({
  entity: EntityType,
  id: z.string().min(1).max(64).describe('The local uuid, or st:<stId> for the ServiceTitan id'),
  historyLimit: z.number().int().min(0).max(50).default(10).describe('How many of its latest changes'),
});
export type GetItemToolInput = z.infer<typeof GetItemToolInput>;

/** `list_conflicts`: the tenant's conflicts, newest first. */
export const ListConflictsToolInput = z.object({
  status: z.enum(['unresolved', 'resolved', 'superseded']).default('unresolved'),
  entity: EntityType.optional(),
  limit: z.number().int().min(1).max(50).default(20),
});
export type ListConflictsToolInput = z.infer<typeof ListConflictsToolInput>;

/** `status`: the last sync, counts per entity, unresolved conflicts, syncs running. */
export const StatusToolInput = z.object({});
export type StatusToolInput = z.infer<typeof StatusToolInput>;

/** One field edit the assistant proposes: the bulk edit's item, without a version (read at proposal time). */
export const ProposedEditInput = z.object({
  id: z.string().min(1).max(64).describe('The local uuid, or st:<stId>'),
  fields: z
    .record(z.string(), z.unknown())
    .describe('ServiceTitan camelCase fields to set, e.g. {"price": 104}: absolute values, not changes'),
});
export type ProposedEditInput = z.infer<typeof ProposedEditInput>;

/** `propose_changes`: drafts field edits of one entity for a person to confirm; writes no record. */
export const ProposeChangesToolInput = z.object({
  entity: EntityType,
  summary: z.string().trim().min(1).max(500).describe('One sentence saying what the change does and why'),
  items: z.array(ProposedEditInput).min(1).max(BULK_EDIT_MAX_ITEMS),
});
export type ProposeChangesToolInput = z.infer<typeof ProposeChangesToolInput>;

/** `confirm_proposal` (MCP, operator keys only): applies a proposal, as `POST …/confirm` does. */
export const ConfirmProposalToolInput = z.object({ id: z.guid().describe("The proposal's id") });
export type ConfirmProposalToolInput = z.infer<typeof ConfirmProposalToolInput>;

// ---- Proposals over HTTP. ----

/** One item of a proposal: its values before and after, and the version they were read at. */
export const ProposalItem = z
  .object({
    id: z.guid().meta({ description: "The row's local id" }),
    stId: z.number().int().nullable(),
    name: z.string().nullable().meta({ description: 'Its display name, code or name, for people' }),
    version: z
      .number()
      .int()
      .meta({ description: 'The row version read at proposal time; confirm needs it unchanged' }),
    before: JsonObject.meta({ description: 'The fields the proposal changes, as they were' }),
    after: JsonObject.meta({ description: 'The same fields as proposed' }),
  })
  .meta({ id: 'ProposalItem' });
export type ProposalItem = z.infer<typeof ProposalItem>;

/** The plan a proposal shows a person before they confirm it. */
export const ProposalPlan = z
  .object({
    items: z.number().int().meta({ description: 'Rows the proposal would change' }),
    unchanged: z.number().int().meta({ description: 'Rows listed that already have the proposed values' }),
    priceChanges: z.number().int().meta({ description: 'Rows whose price fields would change' }),
    largestRelativeChange: z.number().nullable().meta({
      description:
        'The largest |after − before| / before over the price fields (0.04 = 4%); null when no price was set before',
    }),
  })
  .meta({ id: 'ProposalPlan' });
export type ProposalPlan = z.infer<typeof ProposalPlan>;

/** One tool call the assistant made in the conversation that drafted the proposal. */
export const ProposalToolCall = z
  .object({ name: z.string(), arguments: JsonObject })
  .meta({ id: 'ProposalToolCall' });
export type ProposalToolCall = z.infer<typeof ProposalToolCall>;

/** A proposal: field edits drafted by the assistant, written only when an operator confirms them. */
export const Proposal = z
  .object({
    id: z.guid(),
    entity: EntityType,
    summary: z.string(),
    status: ProposalStatus,
    createdBy: z.string().meta({ description: 'The key label of the person who chatted' }),
    createdAt: IsoDateTime,
    expiresAt: IsoDateTime,
    decidedBy: z.string().nullable(),
    decidedAt: IsoDateTime.nullable(),
    changeSetId: z.guid().nullable().meta({ description: 'The change-set the confirmation wrote' }),
    plan: ProposalPlan,
    items: z.array(ProposalItem),
    toolCalls: z
      .array(ProposalToolCall)
      .meta({ description: 'The tool calls of the conversation, with their arguments' }),
  })
  .meta({ id: 'Proposal' });
export type Proposal = z.infer<typeof Proposal>;

const proposalExample: Proposal = {
  id: proposalId,
  entity: 'services',
  summary: 'Raise water heater installs by 4%',
  status: 'proposed',
  createdBy: 'viewer:3f9a0c1b2d4e',
  createdAt: '2025-12-06T09:30:00.000Z',
  expiresAt: '2025-12-07T09:30:00.000Z',
  decidedBy: null,
  decidedAt: null,
  changeSetId: null,
  plan: { items: 1, unchanged: 0, priceChanges: 1, largestRelativeChange: 0.04 },
  items: [
    {
      id: recordId,
      stId: 48213,
      name: 'Water heater install 50 gal',
      version: 3,
      before: { price: 1200 },
      after: { price: 1248 },
    },
  ],
  toolCalls: [{ name: 'search', arguments: { q: 'water heater install', entity: 'services' } }],
};

export const ProposalParams = z.object({
  id: z.guid().meta({ param: { name: 'id', in: 'path' }, example: proposalId }),
});
export type ProposalParams = z.infer<typeof ProposalParams>;

export const ProposalsQuery = z.object({
  status: ProposalStatus.optional().meta({ param: { name: 'status', in: 'query' }, example: 'proposed' }),
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(100)
    .default(50)
    .meta({ param: { name: 'limit', in: 'query' } }),
});
export type ProposalsQuery = z.infer<typeof ProposalsQuery>;

/** `GET /api/assistant/proposals`. */
export const ProposalList = z
  .object({ success: z.literal(true), proposals: z.array(Proposal) })
  .meta({ id: 'ProposalList', example: { success: true, proposals: [proposalExample] } });
export type ProposalList = z.infer<typeof ProposalList>;

/** `GET`, `POST …/confirm`, `POST …/reject`: the proposal as it is now. */
export const ProposalResponse = z
  .object({ success: z.literal(true), proposal: Proposal })
  .meta({ id: 'ProposalResponse', example: { success: true, proposal: proposalExample } });
export type ProposalResponse = z.infer<typeof ProposalResponse>;

/** One message of a conversation the client keeps (the API keeps no conversation). */
export const ChatMessage = z.object({
  role: z.enum(['user', 'assistant']),
  content: SafeText.max(20_000),
});
export type ChatMessage = z.infer<typeof ChatMessage>;

/** The body of `POST /api/assistant/chat`. */
export const ChatBody = z.object({ messages: z.array(ChatMessage).min(1).max(50) }).meta({
  id: 'ChatBody',
  example: { messages: [{ role: 'user', content: 'Raise all water heater installs by 4%' }] },
});
export type ChatBody = z.infer<typeof ChatBody>;

const chatEvent = <E extends string, D extends z.ZodType>(event: E, data: D) =>
  z.object({ event: z.literal(event), data });

/**
 * One server-sent event of `POST /api/assistant/chat`: its `event` field, and its `data` as JSON.
 * In order: `delta` text as it comes, a `tool_call` and its `tool_result` per tool the model used,
 * a `proposal` when it drafted one, the whole `message`, then `done` (or `error`).
 */
export const ChatStreamEvent = z
  .discriminatedUnion('event', [
    chatEvent('delta', z.object({ content: z.string() })),
    chatEvent('tool_call', z.object({ id: z.string(), name: z.string(), arguments: z.unknown() })),
    chatEvent(
      'tool_result',
      z.object({ id: z.string(), name: z.string(), ok: z.boolean(), error: z.string().optional() }),
    ),
    chatEvent('proposal', Proposal),
    chatEvent('message', z.object({ content: z.string() })),
    chatEvent('done', z.object({ rounds: z.number().int(), proposals: z.array(z.string()) })),
    chatEvent('error', z.object({ code: z.string(), detail: z.string() })),
  ])
  .meta({ id: 'ChatStreamEvent' });
export type ChatStreamEvent = z.infer<typeof ChatStreamEvent>;
