import type { OpenAPIHono } from '@hono/zod-openapi';
import type { Message, Tenant } from '@pricebook/contracts';
import type { Orm } from '@pricebook/db';
import type { Embedder } from '@pricebook/embeddings';
import type { Logger } from '@pricebook/logger';
import type { EngineMetrics } from '@pricebook/observability';
import type { SchedulerStateStore } from '@pricebook/schedule';
import type { SecretBox, TenantDirectory } from '@pricebook/tenants';
import type { MiddlewareHandler } from 'hono';
import type { Principal, Role } from './auth/api-keys';
import type { Authenticator } from './auth/authenticate';
import type { SessionClaims } from './auth/session-token';
import type { ApiConfig } from './env';
import type { WebhookSubscriptions } from './webhooks/subscriptions';

/** Publishes one command to JetStream (`Nats-Msg-Id` = its id); throws when NATS does not acknowledge. */
export type CommandPublisher = (
  message: Message<'sync.command' | 'resolve.command' | 'drift.command'>,
) => Promise<void>;

/**
 * Publishes a dead-lettered message again under `msgId` (not its own id, which JetStream's duplicate
 * window may still hold); throws when NATS does not acknowledge.
 */
export type Republisher = (message: Message, msgId: string) => Promise<void>;

/** Everything the app needs from outside; tests pass their own. */
export interface AppDeps {
  orm: Orm;
  publish: CommandPublisher;
  config: ApiConfig;
  /** The tenants this deployment serves; every tenant-scoped request is resolved against it. */
  tenants: TenantDirectory;
  log: Logger;
  /** Redrives dead letters; without it a redrive answers 503. */
  republish?: Republisher;
  /** Resolves when NATS answers (for `/readyz`); throws otherwise. */
  natsHealth: () => Promise<void>;
  /**
   * A tenant's shared scheduler start/stop switch (NATS KV; the caller caches it); without it
   * start/stop answer 503 and status reports the env.
   */
  schedulerState?: (tenantId: string) => Promise<SchedulerStateStore>;
  /** The process's metrics, served at `/metrics` (tests may leave it out). */
  metrics?: EngineMetrics;
  /** Seals webhook signing secrets (`TENANT_SECRETS_KEYS`); without it no webhook can be added. */
  webhookSecrets?: SecretBox;
  /**
   * Embeds search queries (the embedder's provider and model); without it semantic and hybrid
   * search answer from full text.
   */
  embedder?: Embedder;
}

/** Hono's per-request variables. */
export interface AppEnv {
  Variables: {
    requestId: string;
    /** The request's child logger (request id bound). */
    log: Logger;
    /** Set by the guard once the bearer key or the session cookie matched. */
    principal: Principal | undefined;
    /** Set by the guard when the caller came with the session cookie rather than a bearer key. */
    session: SessionClaims | undefined;
    /** Set by the guard of a tenant-scoped route: the tenant the request acts for. */
    tenant: Tenant | undefined;
  };
}

/**
 * Which tenant a route needs and what it does to it: `read` any tenant (a removed one's data stays
 * readable), `write` one not removed, `sync` an active one (a paused tenant takes no sync), or
 * `none` for the routes about no tenant (sessions, the tenants themselves).
 */
export type TenantAccess = 'read' | 'write' | 'sync' | 'none';

export interface GuardOptions {
  /** Default: `read` for GET and HEAD, `write` for the other methods. */
  tenant?: TenantAccess;
}

/** What each `registerX` receives: the app's dependencies plus the role guard built from its keys. */
export interface RouteDeps extends AppDeps {
  guard: (role: Role, options?: GuardOptions) => MiddlewareHandler<AppEnv>;
  /** The keys and the session signer the guard checks callers with. */
  auth: Authenticator;
  /** The tenant's webhook subscriptions and delivery logs. */
  webhooks: WebhookSubscriptions;
}

/** The app every route registers on. */
export type ApiApp = OpenAPIHono<AppEnv>;
