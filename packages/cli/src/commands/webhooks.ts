import { type components, unwrap } from '@pricebook/client';
import { EntityType, WebhookDeliveryStatus, WebhookEventType, WebhookStatus } from '@pricebook/contracts';
import { type Command, type CommandContext, list, oneOf, text } from '../command';
import { type ExitCode, exitCodes, usageError } from '../errors';
import { json, table, when } from '../format';

const help = `List, add and manage the webhook subscriptions of a tenant, and their deliveries.

Usage:
  pricebook webhooks list [--status active|disabled]                      (admin)
  pricebook webhooks add <url> --event <type> [--event <type> ...] [--entity <type> ...]
                         [--description <text>]                           (admin; prints the secret once)
  pricebook webhooks show <id>                                            (admin)
  pricebook webhooks enable <id>                                          (admin)
  pricebook webhooks remove <id>                                          (admin; its delivery log goes too)
  pricebook webhooks deliveries <id> [--status pending|succeeded|failed] [--limit n]   (admin)
  pricebook webhooks attempts <id> <delivery-id> [--limit n]             (admin; each attempt, newest first)
  pricebook webhooks replay <id> <delivery-id>                            (admin; one delivery again)
  pricebook webhooks replay <id> --since <instant> [--until <instant>]    (admin; every event of a range)

Options:
  --event <type>        an event type to deliver (repeatable, or comma-separated): ${WebhookEventType.options.join(', ')}
  --entity <type>       only events about these entity types (repeatable): ${EntityType.options.join(', ')}
  --description <text>  what the subscription is for
  --status <s>          list or deliveries: only those with this status
  --limit <n>           deliveries: how many, newest first (1-200, default 50); attempts: 1-100
  --since, --until      replay: ISO-8601 instants (until defaults to now)

Examples:
  pricebook webhooks add https://n8n.example.com/webhook/pricebook-conflicts --event conflict.opened
  pricebook webhooks deliveries a3f1c2d4-5b6e-4f70-8a91-b2c3d4e5f607 --status failed
  pricebook webhooks attempts a3f1c2d4-5b6e-4f70-8a91-b2c3d4e5f607 d7e6f5a4-b3c2-4d1e-9f08-a1b2c3d4e5f6
  pricebook webhooks replay a3f1c2d4-5b6e-4f70-8a91-b2c3d4e5f607 --since 2026-12-06T00:00:00Z
  pricebook webhooks enable a3f1c2d4-5b6e-4f70-8a91-b2c3d4e5f607`;

type WebhookSubscription = components['schemas']['WebhookSubscription'];
type WebhookDelivery = components['schemas']['WebhookDelivery'];
type WebhookAttempt = components['schemas']['WebhookAttempt'];

const actions = ['list', 'add', 'show', 'enable', 'remove', 'deliveries', 'attempts', 'replay'] as const;
type Action = (typeof actions)[number];

/** A repeatable option whose values may also be comma-separated. */
const many = (ctx: CommandContext, name: string) =>
  list(ctx.values, name)
    .flatMap((v) => v.split(','))
    .map((v) => v.trim())
    .filter((v) => v !== '');

function choices<const T extends string>(flag: string, values: string[], allowed: readonly T[]): T[] {
  return values.map((v) => oneOf('webhooks', flag, v, allowed) as T);
}

function describeWebhook(w: WebhookSubscription): string {
  return [
    `Webhook:     ${w.id}`,
    `URL:         ${w.url}`,
    `Status:      ${w.status}${w.disabledAt ? ` since ${when(w.disabledAt)}` : ''}`,
    ...(w.disabledReason ? [`Reason:      ${w.disabledReason}`] : []),
    `Events:      ${w.eventTypes.join(', ')}`,
    `Entities:    ${w.entityTypes?.join(', ') ?? 'all'}`,
    `Description: ${w.description ?? '—'}`,
    `Created:     ${when(w.createdAt)}`,
  ].join('\n');
}

const deliveryRow = (d: WebhookDelivery) => [
  d.id,
  d.eventType,
  d.status,
  d.attempts,
  d.lastStatusCode === null ? '—' : String(d.lastStatusCode),
  when(d.lastAttemptAt),
  d.status === 'pending' ? when(d.nextAttemptAt) : (d.lastError ?? ''),
];

const attemptRow = (a: WebhookAttempt) => [
  String(a.attempt),
  when(a.attemptedAt),
  a.outcome,
  a.statusCode === null ? '—' : String(a.statusCode),
  `${a.durationMs} ms`,
  a.retryAfterMs === null ? '' : `${Math.round(a.retryAfterMs / 1_000)} s`,
  a.error ?? '',
];

/** `limit` of a list: a whole number from 1 to `max`, or undefined for the API's default. */
function limitOf(ctx: CommandContext, max: number): number | undefined {
  const limitText = text(ctx.values, 'limit');
  const limit = limitText === undefined ? undefined : Number(limitText);
  if (limit !== undefined && !(Number.isInteger(limit) && limit >= 1 && limit <= max))
    throw usageError(`--limit must be a number from 1 to ${max}`, 'webhooks');
  return limit;
}

async function attempts(ctx: CommandContext, id: string, deliveryId: string | undefined): Promise<ExitCode> {
  if (deliveryId === undefined) throw usageError('webhooks attempts needs a delivery id', 'webhooks');
  const limit = limitOf(ctx, 100);
  const body = unwrap(
    await ctx.api.GET('/api/webhooks/{id}/deliveries/{deliveryId}/attempts', {
      params: { path: { id, deliveryId }, query: limit === undefined ? {} : { limit } },
    }),
  );
  if (ctx.json) ctx.io.out(json(body));
  else if (body.attempts.length === 0) ctx.io.out('no attempts yet');
  else
    ctx.io.out(
      table(['#', 'AT', 'OUTCOME', 'CODE', 'TOOK', 'RETRY-AFTER', 'ERROR'], body.attempts.map(attemptRow)),
    );
  return exitCodes.ok;
}

async function add(ctx: CommandContext, url: string): Promise<ExitCode> {
  const eventTypes = choices('--event', many(ctx, 'event'), WebhookEventType.options);
  if (eventTypes.length === 0) throw usageError('webhooks add needs at least one --event', 'webhooks');
  const entityTypes = choices('--entity', many(ctx, 'entity'), EntityType.options);
  const description = text(ctx.values, 'description');
  const body = unwrap(
    await ctx.api.POST('/api/webhooks', {
      body: {
        url,
        eventTypes,
        ...(entityTypes.length > 0 ? { entityTypes } : {}),
        ...(description === undefined ? {} : { description }),
      },
    }),
  );
  if (ctx.json) {
    ctx.io.out(json(body));
    return exitCodes.ok;
  }
  ctx.io.out(describeWebhook(body.webhook));
  ctx.io.out(`\nSigning secret (shown only now; keep it where the receiver reads it):\n${body.secret}`);
  return exitCodes.ok;
}

async function replay(ctx: CommandContext, id: string, deliveryId: string | undefined): Promise<ExitCode> {
  const since = text(ctx.values, 'since');
  const until = text(ctx.values, 'until');
  if (deliveryId !== undefined) {
    if (since !== undefined || until !== undefined)
      throw usageError('replay takes a delivery id or --since, not both', 'webhooks');
    const body = unwrap(
      await ctx.api.POST('/api/webhooks/{id}/deliveries/{deliveryId}/replay', {
        params: { path: { id, deliveryId } },
      }),
    );
    ctx.io.out(ctx.json ? json(body) : `delivery ${body.delivery.id} queued again`);
    return exitCodes.ok;
  }
  if (since === undefined) throw usageError('replay needs a delivery id or --since <instant>', 'webhooks');
  const body = unwrap(
    await ctx.api.POST('/api/webhooks/{id}/replay', {
      params: { path: { id } },
      body: { since, ...(until === undefined ? {} : { until }) },
    }),
  );
  ctx.io.out(ctx.json ? json(body) : `${body.queued} deliveries queued again`);
  return exitCodes.ok;
}

async function deliveries(ctx: CommandContext, id: string): Promise<ExitCode> {
  const status = oneOf('webhooks', '--status', text(ctx.values, 'status'), WebhookDeliveryStatus.options);
  const limit = limitOf(ctx, 200);
  const body = unwrap(
    await ctx.api.GET('/api/webhooks/{id}/deliveries', {
      params: {
        path: { id },
        query: { ...(status ? { status } : {}), ...(limit === undefined ? {} : { limit }) },
      },
    }),
  );
  if (ctx.json) ctx.io.out(json(body));
  else if (body.deliveries.length === 0) ctx.io.out('no deliveries');
  else
    ctx.io.out(
      table(
        ['DELIVERY', 'EVENT', 'STATUS', 'ATTEMPTS', 'CODE', 'LAST ATTEMPT', 'NEXT / ERROR'],
        body.deliveries.map(deliveryRow),
      ),
    );
  return exitCodes.ok;
}

async function act(ctx: CommandContext, action: 'show' | 'enable', id: string) {
  const path = { params: { path: { id } } };
  if (action === 'show') return unwrap(await ctx.api.GET('/api/webhooks/{id}', path));
  return unwrap(await ctx.api.POST('/api/webhooks/{id}/enable', path));
}

/** `pricebook webhooks …`: the subscriptions of `/api/webhooks` and their delivery log. */
export const webhooksCommand: Command = {
  name: 'webhooks',
  summary: 'list, add, enable and remove webhook subscriptions; their deliveries, attempts and replays',
  help,
  options: {
    event: { type: 'string', multiple: true },
    entity: { type: 'string', multiple: true },
    description: { type: 'string' },
    status: { type: 'string' },
    limit: { type: 'string' },
    since: { type: 'string' },
    until: { type: 'string' },
  },
  async run(ctx) {
    const [action, target, second, ...extra] = ctx.positionals;
    if (!(actions as readonly (string | undefined)[]).includes(action)) {
      throw usageError(
        action ? `unknown webhooks action "${action}"` : `webhooks needs one of ${actions.join(', ')}`,
        'webhooks',
      );
    }
    const unexpected = [...(action === 'replay' || action === 'attempts' ? [] : [second]), ...extra].find(
      (a) => a !== undefined,
    );
    if (unexpected !== undefined) throw usageError(`unexpected argument "${unexpected}"`, 'webhooks');
    if (action === 'list') {
      if (target !== undefined) throw usageError(`unexpected argument "${target}"`, 'webhooks');
      const status = oneOf('webhooks', '--status', text(ctx.values, 'status'), WebhookStatus.options);
      const body = unwrap(
        await ctx.api.GET('/api/webhooks', { params: { query: status ? { status } : {} } }),
      );
      const rows = body.webhooks.map((w) => [
        w.id,
        w.status,
        w.eventTypes.join(','),
        w.url,
        w.disabledReason ?? '',
      ]);
      if (ctx.json) ctx.io.out(json(body));
      else if (rows.length === 0) ctx.io.out('no webhooks');
      else ctx.io.out(table(['ID', 'STATUS', 'EVENTS', 'URL', 'DISABLED BECAUSE'], rows));
      return exitCodes.ok;
    }
    if (target === undefined) {
      const what = action === 'add' ? 'a URL' : 'a webhook id';
      throw usageError(`webhooks ${action} needs ${what}`, 'webhooks');
    }
    const verb = action as Exclude<Action, 'list'>;
    if (verb === 'add') return add(ctx, target);
    if (verb === 'replay') return replay(ctx, target, second);
    if (verb === 'deliveries') return deliveries(ctx, target);
    if (verb === 'attempts') return attempts(ctx, target, second);
    if (verb === 'remove') {
      unwrap(await ctx.api.DELETE('/api/webhooks/{id}', { params: { path: { id: target } } }));
      ctx.io.out(ctx.json ? json({ success: true, id: target }) : `webhook ${target} removed`);
      return exitCodes.ok;
    }
    const body = await act(ctx, verb, target);
    if (ctx.json) ctx.io.out(json(body));
    else if (verb === 'show') ctx.io.out(describeWebhook(body.webhook));
    else ctx.io.out(`webhook ${body.webhook.id} ${body.webhook.status}`);
    return exitCodes.ok;
  },
};
