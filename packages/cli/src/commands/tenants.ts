import {
  type Tenant,
  type TenantConnectionTest,
  type TenantCreateRequest,
  type TenantUpdateRequest,
  unwrap,
} from '@pricebook/client';
import { type Command, type CommandContext, text, type Values } from '../command';
import { exitCodes, usageError } from '../errors';
import { json, table, when } from '../format';

const help = `List, add and manage the ServiceTitan tenants this deployment serves.

Usage:
  pricebook tenants list                      (viewer)
  pricebook tenants show <id>                 (viewer)
  pricebook tenants add <id> --name <name> --client-id <id> [fields] [secrets]   (admin)
  pricebook tenants update <id> [fields] [secrets]                                (admin)
  pricebook tenants pause|resume|remove <id>  (admin; remove keeps the tenant's data)
  pricebook tenants purge <id>                (admin; deletes a removed tenant's data, for good)
  pricebook tenants test <id>                 (operator; exit 1 when the test fails)

Fields:
  --name <name>               the contractor's name
  --client-id <id>            the app's client id for the tenant
  --application-guid <guid>   the app's GUID (needed for write-back; "none" clears it)
  --api-url <url>             ServiceTitan's API host (default https://api.servicetitan.io)
  --auth-url <url>            ServiceTitan's auth host (default https://auth.servicetitan.io)
  --full-cron <cron>          the tenant's full-sync schedule ("default": the deployment's)
  --incremental-cron <cron>   the tenant's incremental-sync schedule ("default": the deployment's)
  --timezone <zone>           the schedules' IANA time zone ("default": the deployment's)

Secrets (client secret and app key), first found wins:
  --client-secret <s> / --app-key <k>   on the command line: they land in shell history, avoid
  --secrets-stdin                       from stdin: the client secret on line 1, the app key on line 2
  PRICEBOOK_CLIENT_SECRET / PRICEBOOK_APP_KEY   from the environment

Examples:
  pricebook tenants list
  printf '%s\\n%s\\n' "$SECRET" "$APP_KEY" | pricebook tenants add 1045327 --name 'Northside' --client-id cid.x --secrets-stdin
  pricebook tenants update 1045327 --full-cron '0 3 * * *' --timezone America/Chicago
  pricebook tenants test 1045327`;

const actions = ['list', 'show', 'add', 'update', 'pause', 'resume', 'remove', 'purge', 'test'] as const;
type Action = (typeof actions)[number];

/** What `default`/`none` mean for a nullable field: back to null. */
const orNull = (value: string | undefined, word: string) =>
  value === undefined ? undefined : value === word ? null : value;

/** The secrets given by flag, stdin or environment (in that order); absent ones stay out. */
async function secrets(ctx: CommandContext): Promise<{ clientSecret?: string; appKey?: string }> {
  const piped =
    ctx.values['secrets-stdin'] === true ? (await ctx.io.readStdin()).split(/\r?\n/) : ([] as string[]);
  const pick = (flag: string, line: number, env: string) =>
    text(ctx.values, flag) || piped[line]?.trim() || ctx.io.env[env] || undefined;
  const clientSecret = pick('client-secret', 0, 'PRICEBOOK_CLIENT_SECRET');
  const appKey = pick('app-key', 1, 'PRICEBOOK_APP_KEY');
  return { ...(clientSecret ? { clientSecret } : {}), ...(appKey ? { appKey } : {}) };
}

/** `{ [key]: value }` when the value was given, else nothing (to spread). */
const given = <K extends string, V>(key: K, value: V | undefined) =>
  (value === undefined ? {} : { [key]: value }) as Partial<Record<K, V>>;

/** The plain fields a command line sets (only those given). */
function fields(values: Values): Omit<TenantUpdateRequest, 'clientSecret' | 'appKey'> {
  const schedule = {
    ...given('fullCron', orNull(text(values, 'full-cron'), 'default')),
    ...given('incrementalCron', orNull(text(values, 'incremental-cron'), 'default')),
    ...given('timezone', orNull(text(values, 'timezone'), 'default')),
  };
  return {
    ...given('name', text(values, 'name')),
    ...given('clientId', text(values, 'client-id')),
    ...given('apiBaseUrl', text(values, 'api-url')),
    ...given('authUrl', text(values, 'auth-url')),
    ...given('applicationGuid', orNull(text(values, 'application-guid'), 'none')),
    ...(Object.keys(schedule).length > 0 ? { schedule } : {}),
  };
}

const scheduleText = (t: Tenant) =>
  [
    `full ${t.schedule.fullCron ?? 'default'}`,
    `incremental ${t.schedule.incrementalCron ?? 'default'}`,
    ...(t.schedule.timezone ? [`in ${t.schedule.timezone}`] : []),
  ].join(', ');

function describe(t: Tenant): string {
  return [
    `Tenant:      ${t.tenantId} — ${t.name}`,
    `Status:      ${t.status}${t.removedAt ? ` (removed ${when(t.removedAt)})` : ''}`,
    `Source:      ${t.source}`,
    `Client id:   ${t.clientId}`,
    `App GUID:    ${t.applicationGuid ?? '—'}`,
    `API:         ${t.apiBaseUrl}`,
    `Auth:        ${t.authUrl}`,
    `Schedule:    ${scheduleText(t)}`,
  ].join('\n');
}

function testLine(test: TenantConnectionTest): string {
  const status = test.status === null ? '' : ` (HTTP ${test.status})`;
  return test.ok
    ? `connection ok: ${test.detail} in ${test.durationMs} ms`
    : `connection failed at ${test.step}${status}: ${test.detail}`;
}

async function act(ctx: CommandContext, action: Exclude<Action, 'list'>, tenantId: string) {
  const path = { params: { path: { tenantId } } };
  switch (action) {
    case 'show':
      return unwrap(await ctx.api.GET('/api/tenants/{tenantId}', path));
    case 'add': {
      const { name, clientId, applicationGuid, ...rest } = fields(ctx.values);
      const { clientSecret, appKey } = await secrets(ctx);
      const need = (value: string | undefined, flag: string) => {
        if (value) return value;
        throw usageError(`tenants add needs ${flag}`, 'tenants');
      };
      const body: TenantCreateRequest = {
        tenantId,
        name: need(name, '--name'),
        clientId: need(clientId, '--client-id'),
        clientSecret: need(clientSecret, '--client-secret, --secrets-stdin or PRICEBOOK_CLIENT_SECRET'),
        appKey: need(appKey, '--app-key, --secrets-stdin or PRICEBOOK_APP_KEY'),
        ...(applicationGuid ? { applicationGuid } : {}),
        ...rest,
      };
      return unwrap(await ctx.api.POST('/api/tenants', { body }));
    }
    case 'update': {
      const body = { ...fields(ctx.values), ...(await secrets(ctx)) };
      if (Object.keys(body).length === 0)
        throw usageError('tenants update needs a field to change', 'tenants');
      return unwrap(await ctx.api.PATCH('/api/tenants/{tenantId}', { ...path, body }));
    }
    case 'pause':
      return unwrap(await ctx.api.POST('/api/tenants/{tenantId}/pause', path));
    case 'resume':
      return unwrap(await ctx.api.POST('/api/tenants/{tenantId}/resume', path));
    case 'remove':
      return unwrap(await ctx.api.DELETE('/api/tenants/{tenantId}', path));
    case 'purge':
      return unwrap(await ctx.api.POST('/api/tenants/{tenantId}/purge', path));
    case 'test':
      return unwrap(await ctx.api.POST('/api/tenants/{tenantId}/test', path));
  }
}

/** `pricebook tenants …`: the tenants of `/api/tenants`. */
export const tenantsCommand: Command = {
  name: 'tenants',
  summary: 'list, add, change, pause, resume, remove, purge and test tenants',
  help,
  options: {
    name: { type: 'string' },
    'client-id': { type: 'string' },
    'client-secret': { type: 'string' },
    'app-key': { type: 'string' },
    'secrets-stdin': { type: 'boolean' },
    'application-guid': { type: 'string' },
    'api-url': { type: 'string' },
    'auth-url': { type: 'string' },
    'full-cron': { type: 'string' },
    'incremental-cron': { type: 'string' },
    timezone: { type: 'string' },
  },
  async run(ctx) {
    const [action, tenantId, ...extra] = ctx.positionals;
    if (!(actions as readonly (string | undefined)[]).includes(action)) {
      throw usageError(
        action ? `unknown tenants action "${action}"` : `tenants needs one of ${actions.join(', ')}`,
        'tenants',
      );
    }
    if (action === 'list') {
      if (tenantId !== undefined) throw usageError(`unexpected argument "${tenantId}"`, 'tenants');
      const body = unwrap(await ctx.api.GET('/api/tenants'));
      const rows = body.tenants.map((t) => [t.tenantId, t.name, t.status, t.source, scheduleText(t)]);
      ctx.io.out(ctx.json ? json(body) : table(['TENANT', 'NAME', 'STATUS', 'SOURCE', 'SCHEDULE'], rows));
      return exitCodes.ok;
    }
    if (tenantId === undefined) throw usageError(`tenants ${action} needs a tenant id`, 'tenants');
    if (extra.length > 0) throw usageError(`unexpected argument "${extra[0]}"`, 'tenants');
    const body = await act(ctx, action as Exclude<Action, 'list'>, tenantId);
    if (ctx.json) {
      ctx.io.out(json(body));
    } else if ('test' in body) {
      ctx.io.out(testLine(body.test));
    } else if ('deletedRows' in body) {
      ctx.io.out(`tenant ${body.tenantId} purged: ${body.deletedRows} rows deleted`);
    } else {
      ctx.io.out(
        action === 'show' ? describe(body.tenant) : `tenant ${body.tenant.tenantId} ${body.tenant.status}`,
      );
    }
    return 'test' in body && !body.test.ok ? exitCodes.failure : exitCodes.ok;
  },
};
