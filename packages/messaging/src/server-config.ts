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

/**
 * The NATS server config shipped in `deploy/nats/nats-server.conf`: JetStream, no anonymous
 * access, one user per service with only its own subjects, `integrator` and `admin`. Passwords are
 * read from the server's environment (`NATS_<USER>_PASSWORD`); the server refuses to start when
 * one is missing. Regenerate with `pnpm --filter @pricebook/messaging nats-config`.
 *
 * @example
 * writeFileSync('deploy/nats/nats-server.conf', renderServerConfig());
 */
export function renderServerConfig(): string {
  const users = natsUsers.map((user) => {
    const head = `    # ${user}${user === 'admin' ? ': provisioning and operators, everything' : `: replies under ${inboxPrefixOf(user)}.>`}\n`;
    const login = `user: ${user}, password: $${passwordVariableOf(user)}`;
    if (user === 'admin') return `${head}    { ${login} }`;
    return `${head}    {\n      ${login}\n      permissions: ${renderPermissions(natsPermissions(user), '      ')}\n    }`;
  });
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
