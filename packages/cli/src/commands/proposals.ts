import { unwrap } from '@pricebook/client';
import { type Proposal, ProposalStatus } from '@pricebook/contracts';
import { type Command, type CommandContext, oneOf, text } from '../command';
import { type ExitCode, exitCodes, usageError } from '../errors';
import { json, table, when } from '../format';

const help = `List, show, confirm or reject the pricebook assistant's proposals.

Usage:
  pricebook proposals list [--status <status>] [--json]
  pricebook proposals show <id> [--json]
  pricebook proposals confirm <id> [--json]
  pricebook proposals reject <id> [--json]

Options:
  --status <status>  ${ProposalStatus.options.join(', ')} (proposed = still open)

confirm (operator key) writes the proposal's edits as local edits in one change-set (kind
assistant); the next push sends them to ServiceTitan under the push brake. It is refused when a
record changed since the proposal, when it expired, or when it was already decided.

Examples:
  pricebook proposals list --status proposed
  pricebook proposals show 7c1d2e3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f
  pricebook proposals confirm 7c1d2e3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f`;

const pct = (v: number | null) => (v === null ? '-' : `${(v * 100).toFixed(1)}%`);

function printProposal(ctx: CommandContext, p: Proposal): void {
  ctx.io.out(`${p.id}  ${p.status}  ${p.entity}  by ${p.createdBy}  ${when(p.createdAt)}`);
  ctx.io.out(`  ${p.summary}`);
  ctx.io.out(
    `  ${p.plan.items} items, ${p.plan.priceChanges} price changes, largest ${pct(p.plan.largestRelativeChange)}` +
      (p.plan.unchanged > 0 ? `, ${p.plan.unchanged} already so` : ''),
  );
  if (p.decidedBy) ctx.io.out(`  ${p.status} by ${p.decidedBy} ${when(p.decidedAt)}`);
  if (p.changeSetId) ctx.io.out(`  change-set ${p.changeSetId}`);
  if (p.items.length > 0) {
    ctx.io.out(
      table(
        ['ID', 'ST ID', 'NAME', 'BEFORE', 'AFTER'],
        p.items.map((i) => [
          i.id,
          i.stId ?? '',
          i.name ?? '',
          JSON.stringify(i.before),
          JSON.stringify(i.after),
        ]),
      ),
    );
  }
}

async function listProposals(ctx: CommandContext): Promise<ExitCode> {
  const status = oneOf('proposals', '--status', text(ctx.values, 'status'), ProposalStatus.options);
  const body = unwrap(
    await ctx.api.GET('/api/assistant/proposals', { params: { query: { ...(status ? { status } : {}) } } }),
  );
  if (ctx.json) ctx.io.out(json(body));
  else if (body.proposals.length === 0) ctx.io.out('no proposals');
  else
    ctx.io.out(
      table(
        ['ID', 'STATUS', 'ENTITY', 'ITEMS', 'PRICES', 'LARGEST', 'BY', 'CREATED', 'SUMMARY'],
        body.proposals.map((p) => [
          p.id,
          p.status,
          p.entity,
          p.plan.items,
          p.plan.priceChanges,
          pct(p.plan.largestRelativeChange),
          p.createdBy,
          when(p.createdAt),
          p.summary,
        ]),
      ),
    );
  return exitCodes.ok;
}

/** `pricebook proposals`: the assistant's proposals and an operator's decision on them. */
export const proposalsCommand: Command = {
  name: 'proposals',
  summary: "the assistant's proposals: list, show, confirm, reject",
  help,
  options: { status: { type: 'string' } },
  async run(ctx) {
    const [action, id, extra] = ctx.positionals;
    if (extra !== undefined) throw usageError(`unexpected argument "${extra}"`, 'proposals');
    if (action === 'list' || action === undefined) return listProposals(ctx);
    if (!id) throw usageError(`${action} needs a proposal id`, 'proposals');
    const params = { params: { path: { id } } };
    let body: { proposal: Proposal };
    if (action === 'show') body = unwrap(await ctx.api.GET('/api/assistant/proposals/{id}', params));
    else if (action === 'confirm')
      body = unwrap(await ctx.api.POST('/api/assistant/proposals/{id}/confirm', params));
    else if (action === 'reject')
      body = unwrap(await ctx.api.POST('/api/assistant/proposals/{id}/reject', params));
    else throw usageError(`unknown action "${action}" (list, show, confirm, reject)`, 'proposals');
    if (ctx.json) ctx.io.out(json(body));
    else printProposal(ctx, body.proposal);
    return exitCodes.ok;
  },
};
