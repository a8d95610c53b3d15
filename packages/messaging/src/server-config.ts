import { DeploymentName, wireNames } from '@pricebook/contracts';
import {
  inboxPrefixOf,
  type NatsPermissions,
  natsPermissions,
  natsUsers,
  passwordVariableOf,
} from './permissions';

const quote = (subject: string) => JSON.stringify(subject);
const list = (subjects: readonly string[], indent: string) =>
  `[\n${subjects.map((s) => `${indent}  ${quote(s)}`).join('\n')}\n${indent}]`;

function renderPermissions(p: NatsPermissions, indent: string): string {
  const inner = `${indent}  `;
  const side = (name: string, rules: NatsPermissions['publish']) =>
    `${inner}${name}: {\n${inner}  allow: ${list(rules.allow, `${inner}  `)}\n${inner}  deny: ${list(rules.deny, `${inner}  `)}\n${inner}}`;
  return `{\n${side('publish', p.publish)}\n${side('subscribe', p.subscribe)}\n${indent}}`;
}

export interface ServerConfigOptions {
  /**
   * The deployments sharing this server's account, each with its own users (`acme-api`…) limited to
   * its own names; `''` is the unnamed one. Default: the unnamed one only (the shipped file).
   */
  deployments?: readonly string[];
}

function renderUsers(deployment: string): string[] {
  const names = wireNames(deployment);
  return natsUsers.map((user) => {
    const head = `    # ${names.user(user)}${user === 'admin' ? ': provisioning and operators, everything' : `: replies under ${inboxPrefixOf(user, names)}.>`}\n`;
    const login = `user: ${names.user(user)}, password: $${passwordVariableOf(user, names)}`;
    if (user === 'admin') return `${head}    { ${login} }`;
    return `${head}    {\n      ${login}\n      permissions: ${renderPermissions(natsPermissions(user, names), '      ')}\n    }`;
  });
}

/**
 * The NATS server config shipped in `deploy/nats/nats-server.conf`: JetStream, no anonymous
 * access, one user per service with only its own subjects, `integrator` and `admin`. Passwords are
 * read from the server's environment (`NATS_<USER>_PASSWORD`); the server refuses to start when
 * one is missing. Regenerate with `pnpm --filter @pricebook/messaging nats-config` (with
 * `NATS_DEPLOYMENTS=,acme` for the unnamed deployment and `acme` on one server).
 *
 * @example
 * writeFileSync('deploy/nats/nats-server.conf', renderServerConfig());
 * renderServerConfig({ deployments: ['acme', 'zenith'] }); // users acme-api…, zenith-api…
 */
export function renderServerConfig(options: ServerConfigOptions = {}): string {
  const deployments = (options.deployments ?? ['']).map((d) => DeploymentName.parse(d));
  const users = deployments.flatMap(renderUsers);
  return [
    '# Generated from packages/contracts by `pnpm --filter @pricebook/messaging nats-config`; do not edit.',
    '# A test fails when this file differs from what the contracts generate.',
    '#',
    '# Every user logs in; nobody connects anonymously. Passwords come from the environment of the',
    '# server: NATS_<USER>_PASSWORD for each user below (see docs/operations.md, "NATS users").',
    '',
    'port: 4222',
    '',
    '# The store is given on the command line (`-sd /data`), as Compose does.',
    'jetstream: enabled',
    '',
    'authorization {',
    '  users: [',
    users.join('\n'),
    '  ]',
    '}',
    '',
  ].join('\n');
}
