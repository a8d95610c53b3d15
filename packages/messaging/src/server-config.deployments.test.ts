import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { exampleMessages, wireNames } from '@pricebook/contracts';
import { startTestNats } from '@pricebook/testing';
import { forFile } from '@pricebook/testing/vitest';
import { afterEach, describe, expect, it } from 'vitest';
import { tenantPipelineBacklog } from './backlog';
import { inboxPrefixOf, type NatsUser } from './permissions';
import { provisionDeployment } from './provision-deployment';
import { publish } from './publish';
import { renderServerConfig } from './server-config';

// Two deployments in one account of a real nats-server, with the config rendered for both: each
// deployment's users reach their own names and nothing of the other's.

const denied = /Permissions Violation/;

const nats = forFile(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'nats-deployments-'));
  const configFile = join(dir, 'nats-server.conf');
  writeFileSync(configFile, renderServerConfig({ deployments: ['alpha', 'beta'] }));
  const server = await startTestNats({ configFile });
  for (const deployment of ['alpha', 'beta']) {
    const admin = await login(server, deployment, 'admin');
    await provisionDeployment(admin, { deployment });
    await admin.close();
  }
  return {
    ...server,
    async close() {
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
});

const open: NatsConnection[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((nc) => nc.close()));
});

async function login(
  server: { url: string; users: Record<string, { user: string; password: string }> },
  deployment: string,
  user: NatsUser,
): Promise<NatsConnection> {
  const names = wireNames(deployment);
  const credentials = server.users[names.user(user)];
  if (!credentials) throw new Error(`no user ${names.user(user)}`);
  const nc = await connect({
    servers: server.url,
    user: credentials.user,
    pass: credentials.password,
    inboxPrefix: inboxPrefixOf(user, names),
    reconnect: false,
  });
  open.push(nc);
  return nc;
}

describe('a NATS config for two deployments', () => {
  it("lets a service use its own deployment's names only", async () => {
    const api = jetstream(await login(nats, 'alpha', 'api'));
    const sent = await publish(api, exampleMessages['sync.command'], { deployment: 'alpha' });
    expect(sent.stream).toBe('ALPHA_PRICEBOOK_COMMANDS');
    await expect(publish(api, exampleMessages['sync.command'], { deployment: 'beta' })).rejects.toThrow();

    const fetcher = jetstream(await login(nats, 'alpha', 'fetcher'));
    const own = await fetcher.consumers.get('ALPHA_PRICEBOOK_COMMANDS', 'alpha-fetcher');
    const message = await own.next({ expires: 1_000 });
    expect(message?.subject).toBe('alpha.pricebook.cmd.1001.sync.v1');
    await message?.ackAck();
    await expect(fetcher.consumers.get('BETA_PRICEBOOK_COMMANDS', 'beta-fetcher')).rejects.toThrow(denied);
  });

  it("lets the fetcher count a tenant's pipeline backlog in its own deployment only", async () => {
    const nc = await login(nats, 'alpha', 'fetcher');
    const js = jetstream(nc);
    const example = exampleMessages['record.observed'];
    const observed = (tenant: string, n: number) => ({
      ...example,
      id: `${example.id}:${tenant}:${n}`,
      tenant,
    });
    for (const m of [observed('1001', 1), observed('1001', 2), observed('1001', 3), observed('1002', 1)]) {
      await publish(js, m, { deployment: 'alpha' });
    }
    const jsm = await jetstreamManager(nc);
    expect(await tenantPipelineBacklog(jsm, '1001', { deployment: 'alpha' })).toBe(3);
    expect(await tenantPipelineBacklog(jsm, '1002', { deployment: 'alpha' })).toBe(1);
    expect(await tenantPipelineBacklog(jsm, '1003', { deployment: 'alpha' })).toBe(0);
    const refused = await tenantPipelineBacklog(jsm, '1001', { deployment: 'beta' }).catch((e: unknown) => e);
    expect(refused).toMatchObject({ code: 'unavailable', dependency: 'nats' });
    expect(String(Reflect.get(Object(refused), 'cause'))).toMatch(denied);
  });
});
