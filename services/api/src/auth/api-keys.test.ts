import { describe, expect, it } from 'vitest';
import { KeyRing, mayActFor, parseApiKeys, roleAllows } from './api-keys';

const a = 'a'.repeat(20);
const b = 'b'.repeat(20);

describe('parseApiKeys', () => {
  it('reads role:key pairs, trimming spaces and empty entries', () => {
    expect(parseApiKeys(` admin:${a} , viewer:${b},`)).toEqual({
      keys: [
        { role: 'admin', key: a },
        { role: 'viewer', key: b },
      ],
      problems: [],
    });
  });

  it('keeps colons inside a key', () => {
    expect(parseApiKeys(`operator:${a}:x`).keys).toEqual([{ role: 'operator', key: `${a}:x` }]);
  });

  it('describes every problem by position without echoing a key', () => {
    const secret = 'short-secret';
    const { problems } = parseApiKeys(`root:${a},${b},viewer:${secret},admin:${a},operator:${a}`);
    expect(problems).toEqual([
      'entry 1 has an unknown role (expected viewer, operator, admin)',
      'entry 2 is not a role:key pair',
      'entry 3: a key needs at least 16 characters',
      'entry 5 repeats a key given before',
    ]);
    expect(problems.join()).not.toContain(secret);
    expect(problems.join()).not.toContain(a);
  });

  it('binds a key to the tenants after @, and a plain key to none', () => {
    expect(parseApiKeys(`viewer@1001+1002:${a},admin:${b},operator@1003:${'c'.repeat(20)}`)).toEqual({
      keys: [
        { role: 'viewer', key: a, tenants: ['1001', '1002'] },
        { role: 'admin', key: b },
        { role: 'operator', key: 'c'.repeat(20), tenants: ['1003'] },
      ],
      problems: [],
    });
  });

  it('refuses a bad tenant list by position, without echoing the key', () => {
    const { keys, problems } = parseApiKeys(`viewer@:${a},admin@acme:${b},operator@1001+:${a}x`);
    expect(keys).toEqual([]);
    expect(problems).toEqual([
      'entry 1 has a bad tenant list (expected role@<tenant id>+<tenant id>:key)',
      'entry 2 has a bad tenant list (expected role@<tenant id>+<tenant id>:key)',
      'entry 3 has a bad tenant list (expected role@<tenant id>+<tenant id>:key)',
    ]);
    expect(problems.join()).not.toContain(a);
  });

  it('refuses an empty list', () => {
    expect(parseApiKeys(' , ').problems).toEqual(['no keys: expected comma-separated role:key pairs']);
  });
});

describe('roleAllows', () => {
  it('orders viewer < operator < admin', () => {
    expect(roleAllows('admin', 'operator')).toBe(true);
    expect(roleAllows('operator', 'operator')).toBe(true);
    expect(roleAllows('operator', 'admin')).toBe(false);
    expect(roleAllows('viewer', 'operator')).toBe(false);
  });
});

describe('mayActFor', () => {
  it('lets an unbound key act for any tenant and a bound one for its own', () => {
    expect(mayActFor({ role: 'admin', label: 'admin:x', tenants: undefined }, '1002')).toBe(true);
    expect(mayActFor({ role: 'admin', label: 'admin:x', tenants: ['1001'] }, '1001')).toBe(true);
    expect(mayActFor({ role: 'admin', label: 'admin:x', tenants: ['1001'] }, '1002')).toBe(false);
  });
});

describe('KeyRing', () => {
  it('matches only exact keys and labels them without the key', () => {
    const ring = new KeyRing([
      { role: 'viewer', key: a },
      { role: 'admin', key: b },
    ]);
    expect(ring.match(b)).toEqual({ role: 'admin', label: expect.stringMatching(/^admin:[0-9a-f]{12}$/) });
    expect(ring.match(a)?.role).toBe('viewer');
    expect(ring.match(`${a} `)).toBeUndefined();
    expect(ring.match(a.slice(1))).toBeUndefined();
    expect(ring.match('')).toBeUndefined();
    expect(ring.match(b)?.label).not.toContain(b);
  });

  it('carries the binding into the principal, by key and by label', () => {
    const ring = new KeyRing([
      { role: 'viewer', key: a, tenants: ['1001'] },
      { role: 'admin', key: b },
    ]);
    const bound = ring.match(a);
    expect(bound?.tenants).toEqual(['1001']);
    expect(ring.byLabel(bound?.label ?? '')?.tenants).toEqual(['1001']);
    expect(ring.match(b)?.tenants).toBeUndefined();
  });
});
