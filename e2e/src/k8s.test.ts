import { readFileSync } from 'node:fs';
import { parser as promql } from '@prometheus-io/lezer-promql';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { type K8sObject, renderKustomization, validateObject } from './test-support/k8s-manifests';

// Renders each overlay of deploy/k8s with `kubectl kustomize` (offline) and validates every object
// against the Kubernetes schemas, then checks what a user relies on. docs/kubernetes.md.

const root = new URL('../../', import.meta.url).pathname;
const k8s = `${root}deploy/k8s/`;
const engine = ['api', 'fetcher', 'comparator', 'applier', 'scheduler', 'webhooks', 'embedder'] as const;
const ports = {
  api: 3001,
  fetcher: 9101,
  comparator: 9102,
  applier: 9103,
  scheduler: 9104,
  webhooks: 9105,
  embedder: 9106,
};
const overlays = ['production', 'trial'] as const;
const rendered = Object.fromEntries(
  overlays.map((o) => [o, renderKustomization(`${k8s}overlays/${o}`)]),
) as Record<(typeof overlays)[number], K8sObject[]>;

const find = (objects: K8sObject[], kind: string, name: string) => {
  const found = objects.find((o) => o.kind === kind && o.metadata.name === name);
  if (!found) throw new Error(`no ${kind}/${name}`);
  return found;
};
const ofKind = (objects: K8sObject[], kind: string) => objects.filter((o) => o.kind === kind);
interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: { secretKeyRef?: { name: string; key: string } };
}
interface Container {
  name: string;
  image: string;
  command?: string[];
  env?: EnvVar[];
  envFrom?: Array<{ configMapRef?: { name: string } }>;
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
  readinessProbe?: { httpGet?: { path: string; port: string | number }; tcpSocket?: object };
  livenessProbe?: { httpGet?: { path: string; port: string | number }; tcpSocket?: object };
  ports?: Array<{ name: string; containerPort: number }>;
  securityContext?: { readOnlyRootFilesystem?: boolean; allowPrivilegeEscalation?: boolean };
}
const containers = (o: K8sObject): Container[] => o.spec.template.spec.containers;
const envOf = (c: Container, name: string) => c.env?.find((e) => e.name === name);
/** The ConfigMap a container reads its settings from. */
const configOf = (objects: K8sObject[], c: Container) => {
  const name = c.envFrom?.find((e) => e.configMapRef)?.configMapRef?.name ?? '';
  return find(objects, 'ConfigMap', name).data ?? {};
};

describe.each(overlays)('deploy/k8s/overlays/%s', (overlay) => {
  const objects = rendered[overlay];

  it('renders, and every object is valid against its schema', () => {
    expect(objects.length).toBeGreaterThan(20);
    expect(objects.flatMap(validateObject)).toEqual([]);
  });

  it('runs each service from its own image with probes, resources and a locked-down container', () => {
    for (const service of engine) {
      const deployment = find(objects, 'Deployment', `pricebook-${service}`);
      const [main] = containers(deployment);
      if (!main) throw new Error(`pricebook-${service} has no container`);
      expect(main.image).toMatch(new RegExp(`(^|/)pricebook-sync/${service}:[\\w.-]+$`));
      expect(main.image).not.toMatch(/:latest$/);
      expect(envOf(main, 'SERVICE')?.value).toBe(service);
      expect(main.command).toEqual(['node', `services/${service}/dist/main.js`]);
      const port = main.ports?.[0];
      expect(port?.containerPort).toBe(ports[service]);
      expect(envOf(main, service === 'api' ? 'PORT' : 'HEALTH_PORT')?.value).toBe(String(ports[service]));
      expect(main.readinessProbe?.httpGet).toEqual({ path: '/readyz', port: port?.name });
      expect(main.livenessProbe?.httpGet).toEqual({ path: '/healthz', port: port?.name });
      expect(envOf(main, 'NATS_USER')?.value).toBe(service);
      expect(envOf(main, 'NATS_PASSWORD')?.valueFrom?.secretKeyRef?.key).toBe(`${service}-password`);
      // The database user and password come from CloudNativePG's own Secret.
      expect(envOf(main, 'DATABASE_URL')?.valueFrom?.secretKeyRef).toEqual({
        name: 'pricebook-db-app',
        key: 'uri',
      });
      // The migration runs first in every pod, from the same image.
      const [init] = deployment.spec.template.spec.initContainers as Container[];
      expect(init?.command).toEqual(['node', 'packages/db/dist/migrate.js']);
      expect(init?.image).toBe(main.image);
      expect(init && envOf(init, 'DATABASE_URL')?.valueFrom?.secretKeyRef).toEqual({
        name: 'pricebook-db-app',
        key: 'uri',
      });
      const pdb = find(objects, 'PodDisruptionBudget', `pricebook-${service}`);
      expect(pdb.spec.selector.matchLabels).toEqual(deployment.spec.selector.matchLabels);
    }
    for (const deployment of ofKind(objects, 'Deployment')) {
      expect(deployment.spec.template.spec.securityContext.runAsNonRoot).toBe(true);
      for (const c of containers(deployment)) {
        expect(c.readinessProbe, `${c.name} readiness`).toBeDefined();
        expect(c.livenessProbe, `${c.name} liveness`).toBeDefined();
        for (const r of ['cpu', 'memory']) {
          expect(c.resources?.requests?.[r], `${c.name} requests.${r}`).toBeDefined();
          expect(c.resources?.limits?.[r], `${c.name} limits.${r}`).toBeDefined();
        }
        expect(c.securityContext).toMatchObject({
          readOnlyRootFilesystem: true,
          allowPrivilegeEscalation: false,
        });
      }
    }
  });

  it('gives the tenant secrets keys to every service that opens or re-seals tenant credentials', () => {
    for (const service of ['api', 'fetcher', 'applier', 'scheduler', 'webhooks']) {
      const [main] = containers(find(objects, 'Deployment', `pricebook-${service}`));
      expect(main && envOf(main, 'TENANT_SECRETS_KEYS')?.valueFrom?.secretKeyRef, service).toMatchObject({
        name: expect.stringMatching(/^pricebook-tenants-[a-z0-9]{10}$/),
        key: 'TENANT_SECRETS_KEYS',
      });
    }
    const [comparator] = containers(find(objects, 'Deployment', 'pricebook-comparator'));
    expect(comparator && envOf(comparator, 'TENANT_SECRETS_KEYS')).toBeUndefined();
    // The API tests the connection of the deployment's own tenant with its credentials.
    const [api] = containers(find(objects, 'Deployment', 'pricebook-api'));
    expect(api && envOf(api, 'ST_CLIENT_SECRET')?.valueFrom?.secretKeyRef?.key).toBe('ST_CLIENT_SECRET');
  });

  it('migrates the database and provisions NATS in Jobs, from the api image', () => {
    const migrate = containers(find(objects, 'Job', 'pricebook-migrate'))[0];
    expect(migrate?.command).toEqual(['node', 'packages/db/dist/migrate.js']);
    expect(migrate?.image).toMatch(/(^|\/)pricebook-sync\/api:/);
    expect(migrate && envOf(migrate, 'DATABASE_URL')?.valueFrom?.secretKeyRef?.name).toBe('pricebook-db-app');
    const provision = containers(find(objects, 'Job', 'pricebook-nats-provision'))[0];
    if (!provision) throw new Error('no provisioning container');
    expect(provision.command).toEqual(['node', 'packages/messaging/dist/provision.js']);
    expect(envOf(provision, 'NATS_USER')?.value).toBe('admin');
    expect(configOf(objects, provision).NATS_STREAM_REPLICAS).toBe(overlay === 'production' ? '3' : '1');
  });

  it('holds no value in a Secret that looks real', () => {
    const samples = new Set(['cid.sandbox', 'cs1.sandbox-secret', 'ak1.sandbox']);
    const secrets = ofKind(objects, 'Secret');
    expect(secrets.map((s) => s.metadata.name.replace(/-[a-z0-9]{10}$/, '')).sort()).toEqual([
      'pricebook-api-keys',
      'pricebook-database',
      'pricebook-nats',
      'pricebook-servicetitan',
      'pricebook-tenants',
    ]);
    for (const secret of secrets) {
      for (const [key, encoded] of Object.entries(secret.data ?? {})) {
        const value = Buffer.from(encoded, 'base64').toString('utf8');
        const placeholder = value.includes('replace-me') || (overlay === 'trial' && samples.has(value));
        expect(placeholder, `${secret.metadata.name}.${key} must be a placeholder`).toBe(true);
      }
    }
  });

  it('runs NATS with the product config, every user password, and as many nodes as stream replicas', () => {
    const nats = find(objects, 'StatefulSet', 'pricebook-nats');
    const nodes = overlay === 'production' ? 3 : 1;
    expect(nats.spec.replicas).toBe(nodes);
    const [server] = containers(nats);
    const args = (server as unknown as { args: string[] }).args;
    expect(args).toEqual(expect.arrayContaining(['-c', '/etc/nats/nats-server.conf', '-js', '-sd', '/data']));
    const routes = args[args.indexOf('--routes') + 1] ?? '';
    expect(args.includes('--routes') ? routes.split(',').length : 1).toBe(nodes);
    expect(nats.spec.volumeClaimTemplates[0].metadata.name).toBe('data');
    const config = find(objects, 'ConfigMap', nats.spec.template.spec.volumes[0].configMap.name).data ?? {};
    const conf = config['nats-server.conf'] ?? '';
    const passwords = [...conf.matchAll(/password: \$(NATS_\w+_PASSWORD)/g)].map((m) => m[1]);
    // A user per engine service, plus the admin and the integrator.
    expect(passwords.length).toBe(engine.length + 2);
    for (const p of passwords)
      expect(server && envOf(server, p ?? '')?.valueFrom?.secretKeyRef?.name).toMatch(/^pricebook-nats/);
    for (const service of engine)
      expect(conf).toContain(`user: ${service}, password: $NATS_${service.toUpperCase()}_PASSWORD`);
  });

  it('runs PostgreSQL on CloudNativePG with pgvector', () => {
    const cluster = find(objects, 'Cluster', 'pricebook-db');
    expect(cluster.spec.instances).toBe(overlay === 'production' ? 3 : 1);
    expect(cluster.spec.imageName).toMatch(/standard/);
    expect(cluster.spec.bootstrap.initdb.postInitApplicationSQL).toContain(
      'CREATE EXTENSION IF NOT EXISTS vector',
    );
    expect(find(objects, 'Database', 'pricebook-db-pricebook').spec.extensions).toEqual([
      { name: 'vector', ensure: 'present' },
    ]);
  });
});

describe('overlays differ where they should', () => {
  it('production runs three replicas, autoscaling and monitoring; the trial the sandbox', () => {
    const production = rendered.production;
    for (const service of engine)
      expect(find(production, 'Deployment', `pricebook-${service}`).spec.replicas).toBe(3);
    const hpa = (name: string) => find(production, 'HorizontalPodAutoscaler', `pricebook-${name}`).spec;
    expect(hpa('api').metrics[0].resource.name).toBe('cpu');
    for (const consumer of ['comparator', 'applier']) {
      expect(hpa(consumer).minReplicas).toBe(3);
      expect(hpa(consumer).metrics[0].external.metric).toEqual({
        name: 'pricebook_consumer_pending_messages',
        selector: { matchLabels: { consumer } },
      });
    }
    expect(ofKind(production, 'PrometheusRule')).toHaveLength(1);
    expect(ofKind(production, 'ServiceMonitor')).toHaveLength(1);
    expect(production.some((o) => o.metadata.name === 'pricebook-st-sandbox')).toBe(false);

    const trial = rendered.trial;
    for (const service of engine)
      expect(find(trial, 'Deployment', `pricebook-${service}`).spec.replicas).toBe(1);
    expect(ofKind(trial, 'HorizontalPodAutoscaler')).toEqual([]);
    const fetcher = containers(find(trial, 'Deployment', 'pricebook-fetcher'))[0];
    expect(fetcher && configOf(trial, fetcher).ST_API_BASE_URL).toBe('http://pricebook-st-sandbox:4010');
    find(trial, 'Deployment', 'pricebook-st-sandbox');
  });
});

describe('the offline validator', () => {
  it('rejects what the API server would', () => {
    const broken = (spec: object) =>
      validateObject({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'x' }, spec });
    expect(broken({ selector: {}, template: { spec: { containers: [{ name: 'a', image: 'b' }] } } })).toEqual(
      [],
    );
    expect(broken({ replicas: 'three', selector: {}, template: { spec: { containers: [] } } })).not.toEqual(
      [],
    );
    expect(broken({ selector: {}, template: { spec: {} } })).not.toEqual([]);
    expect(validateObject({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' } })).toEqual(
      ['Widget/w: no schema for example.com/v1 Widget'],
    );
  });
});

describe('deploy/k8s/components', () => {
  it('keeps the NATS server config identical to deploy/nats/nats-server.conf', () => {
    // If this fails: cp deploy/nats/nats-server.conf deploy/k8s/components/nats/nats-server.conf
    expect(readFileSync(`${k8s}components/nats/nats-server.conf`, 'utf8')).toBe(
      readFileSync(`${root}deploy/nats/nats-server.conf`, 'utf8'),
    );
  });

  const metricsSource = readFileSync(`${root}packages/observability/src/metrics.ts`, 'utf8');
  const knownMetrics = new Set([...metricsSource.matchAll(/name: '(pricebook_\w+)'/g)].map((m) => m[1]));
  /** Every engine metric an expression reads is one the engine exports (histograms by their series). */
  const unknownMetrics = (expr: string) =>
    [...expr.matchAll(/pricebook_\w+/g)]
      .map((m) => m[0].replace(/_(bucket|count|sum)$/, ''))
      .filter((name) => !knownMetrics.has(name));

  /** Where Prometheus' own PromQL grammar (the one its UI uses) finds a syntax error, if anywhere. */
  const syntaxErrors = (expr: string) => {
    const at: number[] = [];
    promql.parse(expr).iterate({
      enter: (node) => {
        if (node.type.isError) at.push(node.from);
      },
    });
    return at.map((i) => `syntax error at ${i}: ${expr.slice(i, i + 20)}`);
  };

  it('parses PromQL the way Prometheus does (the check itself)', () => {
    expect(syntaxErrors('sum by (namespace) (increase(pricebook_records_total[1h])) > 0')).toEqual([]);
    expect(syntaxErrors('sum by (namespace (increase(pricebook_records_total[1h])) > 0')).not.toEqual([]);
  });

  it('alerts with a severity, a summary, a description and a runbook section that exists', () => {
    const docs = readFileSync(`${root}docs/kubernetes.md`, 'utf8');
    const anchors = new Set(
      [...docs.matchAll(/^#+ (.+)$/gm)].map((m) =>
        (m[1] ?? '')
          .toLowerCase()
          .replace(/[^\w -]/g, '')
          .replace(/ /g, '-'),
      ),
    );
    const rule = parse(readFileSync(`${k8s}components/monitoring/prometheusrule.yaml`, 'utf8'));
    const alerts = rule.spec.groups.flatMap(
      (g: {
        rules: Array<{
          alert: string;
          expr: string;
          labels: Record<string, string>;
          annotations: Record<string, string>;
        }>;
      }) => g.rules,
    );
    expect(alerts.map((a: { alert: string }) => a.alert)).toEqual(
      expect.arrayContaining([
        'PricebookSyncFailing',
        'PricebookNoSuccessfulSync',
        'PricebookConflictsOpen',
        'PricebookConflictsGrowing',
        'PricebookConsumerLag',
        'PricebookDeadLetters',
        'PricebookApiNotReady',
      ]),
    );
    for (const a of alerts) {
      expect(['critical', 'warning', 'info'], a.alert).toContain(a.labels.severity);
      expect(a.annotations.summary, a.alert).toBeTruthy();
      expect(a.annotations.description, a.alert).toBeTruthy();
      expect(a.annotations.runbook_url).toBe(`docs/kubernetes.md#${a.alert.toLowerCase()}`);
      expect(anchors.has(a.alert.toLowerCase()), `docs/kubernetes.md has a section ${a.alert}`).toBe(true);
      expect(unknownMetrics(a.expr), a.alert).toEqual([]);
      expect(syntaxErrors(a.expr), a.alert).toEqual([]);
    }
  });

  it('ships a Grafana dashboard that reads only metrics the engine exports', () => {
    const dashboard = JSON.parse(readFileSync(`${k8s}components/monitoring/grafana-dashboard.json`, 'utf8'));
    const exprs: string[] = dashboard.panels.flatMap((p: { targets: Array<{ expr: string }> }) =>
      p.targets.map((t) => t.expr),
    );
    expect(exprs.length).toBeGreaterThan(8);
    for (const expr of exprs) {
      expect(unknownMetrics(expr), expr).toEqual([]);
      expect(syntaxErrors(expr), expr).toEqual([]);
    }
  });
});
