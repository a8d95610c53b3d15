import { type components, unwrap } from '@pricebook/client';
import { type Command, type CommandContext, oneOf, text } from '../command';
import { type ExitCode, exitCodes, usageError } from '../errors';
import { json, table, when } from '../format';

const help = `List the messages the engine refused (dead letters), redrive one, or discard one on purpose.

Usage:
  pricebook rejections list [--status open|discarded|all] [--stream <name>] [--subject <subject>]
                            [--limit n] [--json]
  pricebook rejections redrive <id> [--json]                    (operator)
  pricebook rejections discard <id> --reason <text> [--json]    (operator)

Options:
  --status <s>        open (the default: nobody acted on them yet), discarded, or all
  --stream <name>     only this stream (PRICEBOOK_INBOUND, PRICEBOOK_PIPELINE…)
  --subject <subject> an exact subject, or a prefix ending in > (pricebook.inbound.1001.>)
  --limit <n>         how many, newest first (1-100, default 50)
  --reason <text>     discard: why nobody will redrive it (1-500 characters; kept with it)

redrive publishes the message again, unchanged, once its cause is fixed, and removes the dead
letter. discard keeps it, marked with your key, the time and the reason, out of the default list
until retention purges it; a discarded message is never redriven.

Examples:
  pricebook rejections list --stream PRICEBOOK_INBOUND
  pricebook rejections redrive 0b6d3c1e-9f1a-4b7e-8c2d-5e4f3a2b1c0d
  pricebook rejections discard 0b6d3c1e-9f1a-4b7e-8c2d-5e4f3a2b1c0d --reason "test message sent by hand"`;

type Rejection = components['schemas']['Rejection'];

const statuses = ['open', 'discarded', 'all'] as const;

function limitOf(ctx: CommandContext): number | undefined {
  const limitText = text(ctx.values, 'limit');
  const limit = limitText === undefined ? undefined : Number(limitText);
  if (limit !== undefined && !(Number.isInteger(limit) && limit >= 1 && limit <= 100))
    throw usageError('--limit must be a number from 1 to 100', 'rejections');
  return limit;
}

async function listRejections(ctx: CommandContext): Promise<ExitCode> {
  const status = oneOf('rejections', '--status', text(ctx.values, 'status'), statuses);
  const stream = text(ctx.values, 'stream');
  const subject = text(ctx.values, 'subject');
  const limit = limitOf(ctx);
  const body = unwrap(
    await ctx.api.GET('/api/sync/pricebook/rejections', {
      params: {
        query: {
          ...(status ? { status } : {}),
          ...(stream ? { stream } : {}),
          ...(subject ? { subject } : {}),
          ...(limit === undefined ? {} : { limit }),
        },
      },
    }),
  );
  if (ctx.json) ctx.io.out(json(body));
  else if (body.rejections.length === 0) ctx.io.out('no rejected messages');
  else {
    ctx.io.out(
      table(
        ['ID', 'STATUS', 'WHEN', 'SUBJECT', 'REASON'],
        body.rejections.map((r) => [
          r.id,
          r.status,
          when(r.createdAt),
          r.subject,
          r.status === 'discarded'
            ? `${r.discardReason ?? ''} (discarded by ${r.discardedBy ?? '?'})`
            : r.reason,
        ]),
      ),
    );
    if (body.page.nextCursor)
      ctx.io.out(`(first ${body.rejections.length}; --json and the API page the rest)`);
  }
  return exitCodes.ok;
}

function printDiscarded(ctx: CommandContext, r: Rejection): void {
  ctx.io.out(`${r.id}  discarded by ${r.discardedBy ?? '?'} ${when(r.discardedAt)}`);
  ctx.io.out(`  ${r.subject}: ${r.discardReason ?? ''}`);
}

/** `pricebook rejections`: dead letters, and an operator's redrive or discard of one. */
export const rejectionsCommand: Command = {
  name: 'rejections',
  summary: 'refused messages (dead letters): list, redrive, discard',
  help,
  options: {
    status: { type: 'string' },
    stream: { type: 'string' },
    subject: { type: 'string' },
    limit: { type: 'string' },
    reason: { type: 'string' },
  },
  async run(ctx) {
    const [action, id, extra] = ctx.positionals;
    if (extra !== undefined) throw usageError(`unexpected argument "${extra}"`, 'rejections');
    if (action === 'list' || action === undefined) return listRejections(ctx);
    if (action !== 'redrive' && action !== 'discard')
      throw usageError(`unknown action "${action}" (list, redrive, discard)`, 'rejections');
    if (!id) throw usageError(`${action} needs a dead letter id`, 'rejections');
    const params = { params: { path: { id } } };
    if (action === 'redrive') {
      const body = unwrap(await ctx.api.POST('/api/sync/pricebook/rejections/{id}/redrive', params));
      if (ctx.json) ctx.io.out(json(body));
      else ctx.io.out(`${id}  published again on ${body.redriven.subject} (${body.redriven.natsMsgId})`);
      return exitCodes.ok;
    }
    const reason = text(ctx.values, 'reason')?.trim();
    if (!reason) throw usageError('discard needs --reason <text>: why nobody will redrive it', 'rejections');
    const body = unwrap(
      await ctx.api.POST('/api/sync/pricebook/rejections/{id}/discard', { ...params, body: { reason } }),
    );
    if (ctx.json) ctx.io.out(json(body));
    else printDiscarded(ctx, body.rejection);
    return exitCodes.ok;
  },
};
