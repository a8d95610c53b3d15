import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

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
}

const root = fileURLToPath(new URL('../../', import.meta.url));
const compose = parse(readFileSync(`${root}docker-compose.yml`, 'utf8'), { merge: true }) as {
  name?: string;
  services: Record<string, Service>;
  volumes: Record<string, unknown>;
};
const services = compose.services;
const engine = ['api', 'fetcher', 'comparator', 'applier', 'scheduler'] as const;
/** Compose's `${NAME:-value}`: the variable from the shell or `.env`, else the value. */
const orDefault = (name: string, value: string) => `\${${name}:-${value}}`;
const healthPorts = { api: 3001, fetcher: 9101, comparator: 9102, applier: 9103, scheduler: 9104 };

describe('docker-compose.yml', () => {
  it('brings the whole stack', () => {
    expect(Object.keys(services).sort()).toEqual(
      [
        'api',
        'applier',
        'comparator',
        'fetcher',
        'migrate',
        'nats',
        'postgres',
        'scheduler',
        'st-sandbox',
      ].sort(),
    );
    expect(services.postgres?.image).toMatch(/^pgvector\/pgvector:/);
    expect(services.nats?.command).toEqual(expect.arrayContaining(['-js', '-sd']));
    expect(Object.keys(compose.volumes).sort()).toEqual(['natsdata', 'pgdata']);
  });

  it('builds every engine service from the one Dockerfile with its SERVICE, and that service exists', () => {
    for (const name of [...engine, 'st-sandbox', 'migrate']) {
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
    expect(services.migrate?.command).toEqual(['pnpm', '--filter', '@pricebook/db', 'migrate']);
    expect(services.migrate?.depends_on).toEqual({ postgres: { condition: 'service_healthy' } });
    expect(services.migrate?.restart).toBe('no');
    for (const name of engine) {
      expect(services[name]?.depends_on, name).toEqual({
        postgres: { condition: 'service_healthy' },
        nats: { condition: 'service_healthy' },
        migrate: { condition: 'service_completed_successfully' },
      });
    }
    for (const [name, service] of Object.entries(services)) {
      for (const dependency of Object.keys(service.depends_on ?? {})) {
        expect(services[dependency], `${name} depends on ${dependency}`).toBeDefined();
      }
    }
  });

  it('wires the database, NATS, the tenant and, by default, the sandbox credentials', () => {
    for (const name of [...engine, 'migrate']) {
      const env = services[name]?.environment ?? {};
      expect(env.DATABASE_URL, name).toBe('postgresql://postgres:postgres@postgres:5432/pricebook');
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
    expect(services.api?.environment?.API_KEYS).toMatch(/change-me/);
  });
});
