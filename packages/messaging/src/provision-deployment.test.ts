import { describe, expect, it } from 'vitest';
import { integratorDurable, parseIntegratorConsumers } from './provision-deployment';

describe('integrator durables', () => {
  it('reads name[=filter] entries and keeps every durable on the public events stream', () => {
    const entries = parseIntegratorConsumers(' crm=pricebook.events.*.materials.updated.v1, warehouse ,');
    expect(entries).toEqual([
      { name: 'crm', filterSubject: 'pricebook.events.*.materials.updated.v1' },
      { name: 'warehouse' },
    ]);
    expect(entries.map(integratorDurable)).toMatchObject([
      { stream: 'PRICEBOOK_EVENTS', name: 'crm', filterSubject: 'pricebook.events.*.materials.updated.v1' },
      { stream: 'PRICEBOOK_EVENTS', name: 'warehouse', filterSubject: 'pricebook.events.>' },
    ]);
    expect(parseIntegratorConsumers(undefined)).toEqual([]);
  });

  it('refuses a filter outside the events and a name that is not one subject token', () => {
    expect(() => integratorDurable({ name: 'crm', filterSubject: 'pricebook.cmd.>' })).toThrow(
      /pricebook.events/,
    );
    expect(() => integratorDurable({ name: 'crm', filterSubject: 'pricebook.events' })).toThrow(
      /pricebook.events/,
    );
    expect(() => integratorDurable({ name: 'a.b' })).toThrow(/letters, digits/);
  });
});
