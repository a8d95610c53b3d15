import { z } from 'zod';
import { IsoDateTime } from '../messaging/envelope';

/** `POST /api/session`: the API key to exchange for a browser session. */
export const SessionRequest = z
  .object({ apiKey: z.string().min(1).max(512) })
  .strict()
  .meta({ id: 'SessionRequest', example: { apiKey: '<an API key from API_KEYS>' } });
export type SessionRequest = z.infer<typeof SessionRequest>;

const example = {
  role: 'operator',
  principal: 'operator:3f9a1c2b7d4e',
  tenant: '1000001',
  tenants: null,
  expiresAt: '2025-12-06T20:00:00.000Z',
  csrfToken: 'Wm9y1sQ0b2xk6Jt7nC1a3Q4u9eXo2fVh8kLp0rTg5yE',
};

/** Who the session (or the bearer key) is, and the token its unsafe requests must send. */
export const SessionResponse = z
  .object({
    role: z.enum(['viewer', 'operator', 'admin']),
    principal: z.string().meta({ description: 'The key as `<role>:<first 12 hex digits of its SHA-256>`' }),
    tenant: z.string().nullable().meta({
      description:
        'The tenant a request that sends no `Pricebook-Tenant` header acts for; null when it must send one',
    }),
    tenants: z.array(z.string()).nullable().meta({
      description: 'The tenants the key may act for; null for every tenant of the deployment',
    }),
    expiresAt: IsoDateTime.nullable().meta({ description: 'When the session ends; null for a bearer key' }),
    csrfToken: z.string().nullable().meta({
      description:
        'Send it as `X-CSRF-Token` on every POST, PUT, PATCH and DELETE made with the session cookie; null for a bearer key',
    }),
  })
  .meta({ id: 'Session', example });
export type SessionResponse = z.infer<typeof SessionResponse>;

/** A key's principal label: `<role>:<first 12 hex digits of its SHA-256>`, never the key itself. */
export const PrincipalLabel = z
  .string()
  .regex(/^(viewer|operator|admin):[0-9a-f]{12}$/, 'expected a key label such as operator:3f9a1c2b7d4e');

/** `POST /api/sessions/revoke`: whose sessions to end, one key's (`kid`) or every key's (`all`). */
export const SessionRevokeRequest = z
  .object({
    kid: PrincipalLabel.optional().meta({
      description: 'The key whose sessions end, by its label (`principal` of `GET /api/session`)',
    }),
    all: z.literal(true).optional().meta({ description: 'End the sessions of every key' }),
  })
  .strict()
  .refine((body) => (body.kid === undefined) !== (body.all === undefined), 'send either kid or all: true')
  .meta({ id: 'SessionRevokeRequest', example: { kid: 'operator:3f9a1c2b7d4e' } });
export type SessionRevokeRequest = z.infer<typeof SessionRevokeRequest>;

/** Which sessions ended: every one of the key (or of every key) issued at or before `notBefore`. */
export const SessionRevocation = z
  .object({
    kid: z.string().nullable().meta({ description: "The key's label; null when every key's sessions ended" }),
    all: z.boolean(),
    notBefore: IsoDateTime.meta({
      description: 'Sessions issued up to this instant are refused from now on; sign in again for a new one',
    }),
  })
  .meta({
    id: 'SessionRevocation',
    example: { kid: 'operator:3f9a1c2b7d4e', all: false, notBefore: '2025-12-06T12:00:00.000Z' },
  });
export type SessionRevocation = z.infer<typeof SessionRevocation>;
