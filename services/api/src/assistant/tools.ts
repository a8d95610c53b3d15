import {
  ConfirmProposalToolInput,
  GetItemToolInput,
  ListConflictsToolInput,
  type Proposal,
  type ProposalToolCall,
  ProposeChangesToolInput,
  SearchToolInput,
  StatusToolInput,
} from '@pricebook/contracts';
import type { Orm } from '@pricebook/db';
import type { Embedder } from '@pricebook/embeddings';
import type { Logger } from '@pricebook/logger';
import type { z } from 'zod';
import { type Role, roleAllows } from '../auth/api-keys';
import { historyTarget, listHistory } from '../queries/changes';
import { listConflicts } from '../queries/conflicts';
import { getPricebookRow } from '../queries/pricebook';
import { searchPricebook } from '../queries/search';
import { entityCounts, lastFinishedSync, runningSyncs, unresolvedConflicts } from '../queries/status';
import { confirmProposal, propose } from './proposals';

/** What a tool runs with: the API's database and embedder, and who is asking for which tenant. */
export interface ToolContext {
  orm: Orm;
  embedder: Embedder | undefined;
  columnDimensions: () => Promise<number>;
  log: Logger;
  tenantId: string;
  /** The caller's key label (never the key). */
  user: string;
  role: Role;
  runStaleAfterMs: number;
  proposalTtlMs: number;
  /** Every tool call of the conversation so far, this one included; stored with a proposal. */
  calls: ProposalToolCall[];
  /** The name of every call logged so far, refused ones included (the MCP route logs the rest). */
  logged: string[];
  /** Told of each proposal a tool stores (the chat streams it to the person). */
  onProposal?: (proposal: Proposal) => void;
}

/** One tool, defined once for the chat and the MCP server. */
export interface AssistantTool<I extends z.ZodObject = z.ZodObject> {
  name: string;
  title: string;
  description: string;
  input: I;
  /** Reads only (MCP `readOnlyHint`). */
  readOnly: boolean;
  /** The least role that sees the tool. */
  role: Role;
  run(ctx: ToolContext, input: z.infer<I>): Promise<unknown>;
}

const tool = <I extends z.ZodObject>(t: AssistantTool<I>): AssistantTool => t as unknown as AssistantTool;

/**
 * The assistant's tools. Read tools answer with the API's public shapes (what `GET` routes
 * answer), never a credential; `propose_changes` only drafts; `confirm_proposal` is offered to
 * operator keys over MCP, never to the chat model.
 */
export const assistantTools: readonly AssistantTool[] = [
  tool({
    name: 'search',
    title: 'Search the pricebook',
    description:
      'Find pricebook records (categories, materials, services, equipment) by words or meaning. Returns the best ' +
      'matches with their id, ServiceTitan id, version and fields (code, displayName, price, memberPrice, cost…).',
    input: SearchToolInput,
    readOnly: true,
    role: 'viewer',
    async run(ctx, input) {
      const answer = await searchPricebook(
        {
          em: ctx.orm.em.fork(),
          fork: () => ctx.orm.em.fork(),
          embedder: ctx.embedder,
          log: ctx.log,
          columnDimensions: ctx.columnDimensions,
        },
        ctx.tenantId,
        input,
      );
      return answer;
    },
  }),
  tool({
    name: 'get_item',
    title: 'Get a pricebook record and its history',
    description:
      'One record by its local id or st:<ServiceTitan id>, with its latest changes (who, when, before/after).',
    input: GetItemToolInput,
    readOnly: true,
    role: 'viewer',
    async run(ctx, input) {
      const em = ctx.orm.em.fork();
      const item = await getPricebookRow(em, ctx.tenantId, input.entity, input.id);
      const target = await historyTarget(em, ctx.tenantId, input.entity, item.id);
      const history =
        input.historyLimit === 0
          ? []
          : (
              await listHistory(em, ctx.tenantId, input.entity, target.recordId, {
                limit: input.historyLimit,
              })
            ).changes;
      return { entity: input.entity, item, history };
    },
  }),
  tool({
    name: 'list_conflicts',
    title: 'List sync conflicts',
    description:
      'Conflicts between the local pricebook and ServiceTitan, newest first, with both versions and the fields in dispute.',
    input: ListConflictsToolInput,
    readOnly: true,
    role: 'viewer',
    async run(ctx, input) {
      const page = await listConflicts(ctx.orm.em.fork(), ctx.tenantId, {
        status: input.status,
        limit: input.limit,
        ...(input.entity ? { entityType: input.entity } : {}),
      });
      return { conflicts: page.conflicts, total: page.total, counts: page.counts };
    },
  }),
  tool({
    name: 'status',
    title: 'Sync status',
    description:
      'The last finished sync, record counts per entity (pending and in conflict), unresolved conflicts, syncs running now.',
    input: StatusToolInput,
    readOnly: true,
    role: 'viewer',
    async run(ctx) {
      const em = ctx.orm.em.fork();
      const [lastSync, stats, conflicts, running] = await Promise.all([
        lastFinishedSync(em, ctx.tenantId),
        entityCounts(em, ctx.tenantId),
        unresolvedConflicts(em, ctx.tenantId),
        runningSyncs(em, ctx.tenantId, ctx.runStaleAfterMs),
      ]);
      return { lastSync, stats, unresolvedConflicts: conflicts, running };
    },
  }),
  tool({
    name: 'propose_changes',
    title: 'Propose field edits',
    description:
      'Drafts edits of one entity as a proposal for a person to review; writes nothing to the pricebook. Give each ' +
      'record\'s id (from search) and the new absolute field values (e.g. a 4% raise of 1200 is {"price": 1248}). ' +
      'Returns the plan: items with before/after, the number of price changes and the largest relative change. ' +
      'Tell the person the proposal id: an operator confirms it in the console, the CLI or the API.',
    input: ProposeChangesToolInput,
    readOnly: false,
    role: 'viewer',
    async run(ctx, input) {
      const proposal = await propose(ctx.orm, {
        tenantId: ctx.tenantId,
        createdBy: ctx.user,
        ttlMs: ctx.proposalTtlMs,
        toolCalls: ctx.calls,
        draft: input,
      });
      ctx.log.info({ proposalId: proposal.id, plan: proposal.plan }, 'assistant proposal stored');
      ctx.onProposal?.(proposal);
      return proposal;
    },
  }),
  tool({
    name: 'confirm_proposal',
    title: 'Confirm a proposal',
    description:
      'Writes a proposal as local edits (one change-set), pushed to ServiceTitan by the next push under the push ' +
      "brake. Refused if it expired, was decided, or a record changed since. Only for an operator's own decision.",
    input: ConfirmProposalToolInput,
    readOnly: false,
    role: 'operator',
    async run(ctx, input) {
      return confirmProposal(ctx.orm, { tenantId: ctx.tenantId, id: input.id, decidedBy: ctx.user });
    },
  }),
];

/** The tools the chat model is given: never the confirmation, whoever chats. */
export const chatTools = assistantTools.filter((t) => t.name !== 'confirm_proposal');

/** The tools a caller of `role` sees over MCP. */
export const mcpToolsFor = (role: Role) => assistantTools.filter((t) => roleAllows(role, t.role));

/**
 * Logs one tool call with its arguments (as parsed, or as the model sent them when they were
 * refused), the tenant and the caller's key label. Arguments come from the model or an agent,
 * which never see a secret; the logger's redaction still applies.
 *
 * @example
 * logToolCall(ctx, 'search', { q: 'heater' });
 */
export function logToolCall(ctx: ToolContext, tool: string, args: unknown, refused?: string): void {
  ctx.logged.push(tool);
  ctx.log.info(
    { tool, arguments: args, tenantId: ctx.tenantId, user: ctx.user, ...(refused ? { refused } : {}) },
    'assistant tool call',
  );
}

/**
 * Runs one tool call: parses its arguments with the tool's schema, logs the call with them (a
 * refused call too, with the arguments as sent), records it for a proposal, and answers the
 * tool's result.
 *
 * @example
 * const result = await runTool(ctx, 'search', { q: 'water heater' });
 */
export async function runTool(ctx: ToolContext, t: AssistantTool, args: unknown): Promise<unknown> {
  const parsed = t.input.safeParse(args ?? {});
  if (!parsed.success) {
    logToolCall(ctx, t.name, args, 'invalid arguments');
    throw parsed.error;
  }
  const input = parsed.data;
  ctx.calls.push({ name: t.name, arguments: input as Record<string, unknown> });
  logToolCall(ctx, t.name, input);
  return t.run(ctx, input);
}
