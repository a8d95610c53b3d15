import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { natsPermissions, natsServices } from './permissions';
import { renderServerConfig } from './server-config';

const shipped = fileURLToPath(new URL('../../../deploy/nats/nats-server.conf', import.meta.url));

describe('the shipped NATS server config', () => {
  it('is exactly what the contracts generate (run `pnpm --filter @pricebook/messaging nats-config`)', () => {
    expect(readFileSync(shipped, 'utf8')).toBe(renderServerConfig());
  });

  it('gives no user `_INBOX.>` or a whole-namespace wildcard, and denies raw stream subjects to every subscriber', () => {
    for (const user of [...natsServices, 'integrator'] as const) {
      const p = natsPermissions(user);
      const allowed = [...p.publish.allow, ...p.subscribe.allow];
      expect(allowed, user).not.toContain('_INBOX.>');
      expect(
        allowed.filter((s) => s === '>' || s === 'pricebook.>' || s === '$JS.API.>'),
        user,
      ).toEqual([]);
      expect(p.subscribe.allow, user).toEqual([`_INBOX_${user}.>`]);
      expect(p.subscribe.deny, user).toEqual(expect.arrayContaining(['_INBOX.>', 'pricebook.>']));
    }
  });
});
