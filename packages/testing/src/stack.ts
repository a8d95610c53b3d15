import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { startTestNats, type TestNats } from './nats';
import { freePort } from './ports';
import { createTestDatabase, type TestDatabase } from './postgres';
import { type StartedSandbox, type StartSandboxOptions, startSandbox } from './sandbox';
import { type ServiceProcess, startService } from './service';
import {
  type AddTenantInput,
  addSandboxTenant,
  type StackTenant,
  testApplicationGuid,
  testTenantSecretsKeys,
} from './tenants';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

export const pipelineServices = ['fetcher', 'comparator', 'applier', 'api'] as const;
export type PipelineService = (typeof pipelineServices)[number];

export interface Stack {
  db: TestDatabase;
  nats: TestNats;
  sandbox: StartedSandbox;
  /** The pipeline, the webhooks service, and the scheduler and embedder when asked for. */
  services: Record<PipelineService, ServiceProcess> & {
    webhooks: ServiceProcess;
    scheduler?: ServiceProcess;
    embedder?: ServiceProcess;
  };
  /** The API's base URL and an admin key for it. */
  api: { url: string; key: string };
  /** The environment every service was started with. */
  env: Record<string, string>;
  /** The tenants added through `POST /api/tenants` at start (`tenants` option); the stack's own is not one. */
  tenants: StackTenant[];
  stop(): Promise<void>;
}

export interface StartStackOptions {
  sandbox?: StartSandboxOptions;
  /** Extra environment for every service. */
  env?: Record<string, string>;
  /**
   * Also start `services/scheduler` (default off). Its schedules are then enabled
   * (`SYNC_SCHEDULER_ENABLED=true`) and the overdue full sync on start is off; set `SYNC_FULL_CRON`,
   * `SYNC_INCREMENTAL_CRON` (six fields allowed: `* * * * * *`) or either flag through `env`.
   */
  scheduler?: boolean;
  /**
   * Also start `services/embedder` (default off). Give it a provider through `env`
   * (`EMBEDDINGS_URL` of a `startFakeEmbeddings()`, `EMBEDDINGS_MODEL`); without one it embeds nothing.
   */
  embedder?: boolean;
  /**
   * Admin connection string of the PostgreSQL server to create the stack's database on (default:
   * the test server), e.g. a `startPrivatePostgres()` cluster that a fault test stops and starts.
   */
  postgresUrl?: string;
  /**
   * Run NATS with this server config (e.g. `deploy/nats/nats-server.conf`): provisioning logs in
   * as `admin`, and each service as the user of its own name, as in a deployment.
   */
  natsConfig?: string;
  /**
   * More sandbox tenants, each created on the sandbox with its own items and added through
   * `POST /api/tenants` once the API is up (the stack's own tenant stays `ST_TENANT_ID`). The
   * stack always runs with `TENANT_SECRETS_KEYS` (a fixed test key; override it through `env`).
   */
  tenants?: AddTenantInput[];
}

/** Runs a one-shot job's bundle as a deployment does: `node <bundle>` from the repository root. */
async function runScript(script: string, env: Record<string, string>, what: string): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const child = spawn(process.execPath, [script], {
      cwd: repoRoot,
      env: { PATH: process.env.PATH ?? '', LOG_LEVEL: 'warn', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    // Logs go to stdout: keep both for the failure message.
    let output = '';
    const keep = (c: Buffer) => {
      output += c.toString();
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    child.once('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`${what} failed (${code}): ${output}`)),
    );
  });
}

/** The NATS login of one user of a test server, as environment variables; none on an open server. */
function natsLogin(nats: TestNats, user: string): Record<string, string> {
  const login = nats.users[user];
  if (!login && Object.keys(nats.users).length > 0) throw new Error(`the NATS config has no user ${user}`);
  return login ? { NATS_USER: login.user, NATS_PASSWORD: login.password } : {};
}

/** Creates the streams, durables and KV bucket, logged in as `admin` when the server has users. */
export async function provisionNats(nats: TestNats, env: Record<string, string> = {}): Promise<void> {
  await runScript(
    'packages/messaging/dist/provision.js',
    { NATS_URL: nats.url, ...natsLogin(nats, 'admin'), ...env },
    'nats provisioning',
  );
}

/** Applies the migrations to `url` by running the db package's own script, as an operator would. */
export async function migrateDatabase(url: string): Promise<void> {
  await runScript('packages/db/dist/migrate.js', { DATABASE_URL: url }, 'migrate');
}

/**
 * The whole engine for an end-to-end test or a benchmark: a fresh database (migrated), a
 * private JetStream server, the ServiceTitan sandbox, and every pipeline service as its own
 * process, wired together exactly as `deploy/local/up.sh` wires them.
 *
 * @example
 * const stack = await startStack({ sandbox: { items: 500 } });
 * await fetch(`${stack.api.url}/api/sync/pricebook/full?wait=true`, { method: 'POST', headers: … });
 */
export async function startStack(options: StartStackOptions = {}): Promise<Stack> {
  const [db, nats, sandbox, port] = await Promise.all([
    createTestDatabase('pb_e2e', options.postgresUrl),
    startTestNats({ configFile: options.natsConfig }),
    startSandbox(options.sandbox),
    freePort(),
  ]);
  // Provisioning reads the deployment's name and stream settings as the services do.
  const natsSettings = Object.fromEntries(
    Object.entries(options.env ?? {}).filter(([name]) =>
      /^NATS_(DEPLOYMENT|STREAM_|EVENTS_|PIPELINE_|COMMANDS_)/.test(name),
    ),
  );
  await Promise.all([migrateDatabase(db.url), provisionNats(nats, natsSettings)]);
  const key = 'e2e-admin-key-0123456789';
  const env: Record<string, string> = {
    DATABASE_URL: db.url,
    NATS_URL: nats.url,
    ST_API_BASE_URL: sandbox.baseUrl,
    ST_AUTH_URL: sandbox.authUrl,
    ST_TENANT_ID: sandbox.tenantId,
    ST_CLIENT_ID: sandbox.clientId,
    ST_CLIENT_SECRET: sandbox.clientSecret,
    ST_APP_KEY: sandbox.appKey,
    ST_APPLICATION_GUID: testApplicationGuid,
    TENANT_SECRETS_KEYS: testTenantSecretsKeys,
    API_KEYS: `admin:${key}`,
    PORT: String(port),
    SYNC_SCHEDULER_ENABLED: options.scheduler ? 'true' : 'false',
    SYNC_RUN_OVERDUE_ON_START: 'false',
    // Test receivers listen on 127.0.0.1 over http; the API and the webhooks service both check.
    WEBHOOKS_ALLOW_PRIVATE_URLS: 'true',
    WEBHOOKS_POLL_MS: '100',
    LOG_LEVEL: 'info',
    ...options.env,
  };
  const started: ServiceProcess[] = [];
  const stopAll = async () => {
    await Promise.all(started.map((s) => s.stop()));
    await Promise.allSettled([sandbox.stop(), nats.close()]);
    await db.drop().catch(() => undefined);
  };
  try {
    // No health server (HEALTH_PORT 0): nothing here reads it, and a port picked free beforehand can be
    // taken by another test file's process before the service listens. Each service logs in to NATS
    // as itself when the server has users.
    const launch = async (name: string) =>
      startService({ name, env: { HEALTH_PORT: '0', ...natsLogin(nats, name), ...env } });
    for (const name of pipelineServices) started.push(await launch(name));
    started.push(await launch('webhooks'));
    if (options.scheduler) started.push(await launch('scheduler'));
    if (options.embedder) started.push(await launch('embedder'));
  } catch (error) {
    await stopAll();
    throw error;
  }
  const [fetcher, comparator, applier, api, webhooks] = started as [
    ServiceProcess,
    ServiceProcess,
    ServiceProcess,
    ServiceProcess,
    ServiceProcess,
  ];
  const scheduler = started.find((s) => s.name === 'scheduler');
  const embedder = started.find((s) => s.name === 'embedder');
  const apiHandle = { url: `http://127.0.0.1:${port}`, key };
  const tenants: StackTenant[] = [];
  try {
    // One at a time: each is a tenant an operator adds, and the order of ids stays predictable.
    for (const input of options.tenants ?? [])
      tenants.push(await addSandboxTenant({ sandbox, api: apiHandle }, input));
  } catch (error) {
    await stopAll();
    throw error;
  }
  return {
    db,
    nats,
    sandbox,
    services: {
      fetcher,
      comparator,
      applier,
      api,
      webhooks,
      ...(scheduler ? { scheduler } : {}),
      ...(embedder ? { embedder } : {}),
    },
    api: apiHandle,
    env,
    tenants,
    stop: stopAll,
  };
}
