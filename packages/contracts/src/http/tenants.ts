import { z } from 'zod';
import { IsoDateTime } from '../messaging/envelope';
import { TenantId, TenantStatus } from '../tenant';

/** ServiceTitan's production hosts, which a tenant uses unless it names others (an integration environment, the sandbox). */
export const stProductionHosts = {
  apiBaseUrl: 'https://api.servicetitan.io',
  authUrl: 'https://auth.servicetitan.io',
} as const;

// Examples for the OpenAPI document (documentation only).
const tenantExample = {
  tenantId: '1045327',
  name: 'Northside Heating & Air',
  status: 'active',
  source: 'database',
  clientId: 'cid.7g2k9x4m1q8w',
  applicationGuid: null,
  apiBaseUrl: stProductionHosts.apiBaseUrl,
  authUrl: stProductionHosts.authUrl,
  schedule: { fullCron: '0 3 * * *', incrementalCron: null, timezone: 'America/Chicago' },
  createdAt: '2026-12-06T15:00:00.000Z',
  updatedAt: '2026-12-06T15:00:00.000Z',
  removedAt: null,
};

const tenantName = z.string().trim().min(1).max(200);
const secret = z.string().min(1).max(4096);
const httpUrl = z.url({ protocol: /^https?$/ }).max(2048);
const cron = z
  .string()
  .trim()
  .min(1)
  .max(120)
  .meta({ description: 'A cron expression (5 fields, or 6 with seconds first)' });
const timezone = z
  .string()
  .trim()
  .min(1)
  .max(64)
  .meta({ description: 'An IANA time zone, e.g. America/Chicago' });

/** A tenant's own timed syncs; a null field takes the deployment's setting (`SYNC_FULL_CRON`…). */
export const TenantSchedule = z
  .object({
    fullCron: cron.nullable(),
    incrementalCron: cron.nullable(),
    timezone: timezone.nullable(),
  })
  .meta({ id: 'TenantSchedule' });
export type TenantSchedule = z.infer<typeof TenantSchedule>;

/** `POST /api/tenants`: a ServiceTitan tenant and the credentials of the app that reaches it. */
export const TenantCreateRequest = z
  .strictObject({
    tenantId: TenantId.meta({ description: 'The ServiceTitan tenant id', example: '1045327' }),
    name: tenantName.meta({ example: 'Northside Heating & Air' }),
    clientId: secret.meta({ description: "The app's client id for this tenant" }),
    clientSecret: secret.meta({ description: 'Stored encrypted; never returned or logged' }),
    appKey: secret.meta({ description: 'The `ST-App-Key`; stored encrypted; never returned or logged' }),
    applicationGuid: z.guid().optional().meta({
      description: "The app's GUID, which tags items created in ServiceTitan (needed for write-back)",
    }),
    apiBaseUrl: httpUrl.default(stProductionHosts.apiBaseUrl),
    authUrl: httpUrl.default(stProductionHosts.authUrl),
    schedule: TenantSchedule.partial().optional(),
  })
  .meta({
    id: 'TenantCreateRequest',
    example: {
      tenantId: '1045327',
      name: 'Northside Heating & Air',
      clientId: 'cid.7g2k9x4m1q8w',
      clientSecret: '<the client secret>',
      appKey: '<the ST-App-Key>',
      schedule: { fullCron: '0 3 * * *', timezone: 'America/Chicago' },
    },
  });
export type TenantCreateRequest = z.infer<typeof TenantCreateRequest>;

/** `PATCH /api/tenants/{tenantId}`: only the fields given change; a new secret replaces the old one. */
export const TenantUpdateRequest = z
  .strictObject({
    name: tenantName,
    clientId: secret,
    clientSecret: secret,
    appKey: secret,
    applicationGuid: z.guid().nullable(),
    apiBaseUrl: httpUrl,
    authUrl: httpUrl,
    schedule: TenantSchedule.partial(),
  })
  .partial()
  .refine((v) => Object.keys(v).length > 0, 'nothing to change')
  .meta({ id: 'TenantUpdateRequest', example: { name: 'Northside HVAC', schedule: { fullCron: null } } });
export type TenantUpdateRequest = z.infer<typeof TenantUpdateRequest>;

/** A tenant as the API shows it: never a secret, only whether one is set. */
export const Tenant = z
  .object({
    tenantId: TenantId,
    name: z.string(),
    status: TenantStatus,
    source: z.enum(['environment', 'database']).meta({
      description:
        "`environment`: the deployment's own `ST_*` tenant, changed only by its settings; `database`: added through this API",
    }),
    clientId: z.string(),
    applicationGuid: z.string().nullable(),
    apiBaseUrl: z.string(),
    authUrl: z.string(),
    schedule: TenantSchedule,
    createdAt: IsoDateTime.nullable(),
    updatedAt: IsoDateTime.nullable(),
    removedAt: IsoDateTime.nullable(),
  })
  .meta({ id: 'Tenant', example: tenantExample });
export type Tenant = z.infer<typeof Tenant>;

export const TenantParams = z.object({
  tenantId: TenantId.meta({ param: { name: 'tenantId', in: 'path' }, example: '1045327' }),
});

export const TenantResponse = z
  .object({ success: z.literal(true), tenant: Tenant })
  .meta({ id: 'TenantResponse', example: { success: true, tenant: tenantExample } });
export type TenantResponse = z.infer<typeof TenantResponse>;

export const TenantListResponse = z
  .object({ success: z.literal(true), tenants: z.array(Tenant) })
  .meta({ id: 'TenantListResponse', example: { success: true, tenants: [tenantExample] } });
export type TenantListResponse = z.infer<typeof TenantListResponse>;

/** What "test connection" found: a token, then one page of materials, or the step that failed. */
export const TenantConnectionTest = z
  .object({
    ok: z.boolean(),
    step: z.enum(['credentials', 'token', 'read']).meta({
      description:
        '`credentials`: they could not be read; `token`: the auth server; `read`: the pricebook API',
    }),
    status: z.number().int().nullable().meta({ description: "ServiceTitan's HTTP status, when it answered" }),
    detail: z.string(),
    durationMs: z.number().int(),
  })
  .meta({
    id: 'TenantConnectionTest',
    example: {
      ok: false,
      step: 'token',
      status: 400,
      detail: 'ServiceTitan refused the client credentials',
      durationMs: 412,
    },
  });
export type TenantConnectionTest = z.infer<typeof TenantConnectionTest>;

export const TenantConnectionTestResponse = z
  .object({ success: z.literal(true), test: TenantConnectionTest })
  .meta({
    id: 'TenantConnectionTestResponse',
    example: {
      success: true,
      test: { ok: true, step: 'read', status: 200, detail: 'read 1 material from page 1', durationMs: 231 },
    },
  });

/** `POST /api/tenants/{tenantId}/purge`: how many rows a removed tenant left, now deleted. */
export const TenantPurgeResponse = z
  .object({
    success: z.literal(true),
    tenantId: TenantId,
    deletedRows: z
      .number()
      .int()
      .meta({ description: 'Rows deleted across the pricebook, history, syncs and events' }),
  })
  .meta({ id: 'TenantPurgeResponse', example: { success: true, tenantId: '1045327', deletedRows: 48210 } });
export type TenantPurgeResponse = z.infer<typeof TenantPurgeResponse>;
