import { describe, expect, it } from 'vitest';
import { DeploymentName, deploymentNames, useDeployment, wireNames } from './deployment';
import { defineStreams } from './streams';
import { subjectMatches } from './subjects';

describe('wireNames', () => {
  it('leaves every name as the contracts spell it when no deployment is named', () => {
    const names = wireNames('');
    expect(names.subject('pricebook.cmd.1001.sync.v1')).toBe('pricebook.cmd.1001.sync.v1');
    expect(names.stream('PRICEBOOK_EVENTS')).toBe('PRICEBOOK_EVENTS');
    expect(names.durable('applier-fence')).toBe('applier-fence');
    expect(names.bucket('pricebook_scheduler')).toBe('pricebook_scheduler');
    expect(names.user('api')).toBe('api');
  });

  it('puts a named deployment in front of every name', () => {
    const names = wireNames('eu-west');
    expect(names.subject('pricebook.cmd.1001.sync.v1')).toBe('eu-west.pricebook.cmd.1001.sync.v1');
    expect(names.subject('pricebook.>')).toBe('eu-west.pricebook.>');
    expect(names.stream('PRICEBOOK_EVENTS')).toBe('EU_WEST_PRICEBOOK_EVENTS');
    expect(names.durable('fetcher')).toBe('eu-west-fetcher');
    expect(names.bucket('pricebook_scheduler')).toBe('eu_west_pricebook_scheduler');
    expect(names.user('api')).toBe('eu-west-api');
  });

  it("reads back only its own deployment's subjects", () => {
    const alpha = wireNames('alpha');
    expect(alpha.logicalSubject('alpha.pricebook.events.1001.sync.started.v1')).toBe(
      'pricebook.events.1001.sync.started.v1',
    );
    expect(alpha.logicalSubject('beta.pricebook.events.1001.sync.started.v1')).toBeUndefined();
    expect(alpha.logicalSubject('pricebook.events.1001.sync.started.v1')).toBeUndefined();
    expect(wireNames('').logicalSubject('alpha.pricebook.events.1001.sync.started.v1')).toBeUndefined();
  });

  it('gives two deployments (and the unnamed one) stream subjects that never overlap', () => {
    const subjects = (deployment: string) =>
      Object.values(defineStreams()).flatMap((s) => s.subjects.map(wireNames(deployment).subject));
    for (const [a, b] of [
      ['', 'alpha'],
      ['alpha', 'beta'],
      ['cmd', ''],
    ] as const) {
      for (const x of subjects(a)) {
        for (const y of subjects(b)) expect(subjectMatches(x, y) || subjectMatches(y, x)).toBe(false);
      }
    }
  });

  it('refuses names that could collide or break a subject', () => {
    for (const bad of ['Acme', 'a_b', 'a.b', 'a*', '-a', 'a-', 'a--b', '1a', 'pricebook', 'x'.repeat(33)]) {
      expect(DeploymentName.safeParse(bad).success, bad).toBe(false);
    }
    for (const good of ['', 'acme', 'eu-west-2', 'a1'])
      expect(DeploymentName.safeParse(good).success).toBe(true);
  });

  it("holds the process's deployment once set, and names another when asked", () => {
    try {
      useDeployment('acme');
      expect(deploymentNames().stream('PRICEBOOK_PIPELINE')).toBe('ACME_PRICEBOOK_PIPELINE');
      expect(deploymentNames('').stream('PRICEBOOK_PIPELINE')).toBe('PRICEBOOK_PIPELINE');
    } finally {
      useDeployment('');
    }
  });
});
