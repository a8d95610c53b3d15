import { readFileSync } from 'node:fs';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { isMessageType } from './catalog';
import { exampleMessages } from './examples';
import { messageJsonSchema } from './json-schema';
import { type MessageType, messageTypes } from './subjects';

const ajv = new Ajv({ allErrors: true, strict: true });
addFormats(ajv);
const validators = new Map<MessageType, ValidateFunction>(
  messageTypes.map((type) => [type, ajv.compile(messageJsonSchema(type))]),
);

/** `ok`, or what the type's JSON Schema says is wrong with a message. */
function check(type: MessageType, message: unknown): string {
  const validate = validators.get(type);
  if (!validate) return `no schema for ${type}`;
  return validate(message) ? 'ok' : ajv.errorsText(validate.errors);
}

describe('the JSON Schema of each message type', () => {
  it('is draft-07, titled with its type, and accepts its example', () => {
    for (const type of messageTypes) {
      const schema = messageJsonSchema(type);
      expect(schema).toMatchObject({ $schema: 'http://json-schema.org/draft-07/schema#', title: type });
      expect(check(type, JSON.parse(JSON.stringify(exampleMessages[type]))), type).toBe('ok');
    }
  });

  it('refuses what the contract refuses', () => {
    const m = structuredClone(exampleMessages['record.updated']);
    expect(check('record.updated', { ...m, type: 'record.created' })).toContain('const');
    expect(check('record.updated', { ...m, tenant: 1001 })).toContain('tenant');
    expect(check('record.updated', { ...m, tenant: '01001' })).toContain('pattern');
    expect(check('record.updated', { ...m, data: { ...m.data, entity: 'widgets' } })).toContain(
      'data/data/entity must be equal to one of the allowed values',
    );
    expect(check('record.updated', { ...m, occurredAt: 'yesterday' })).toContain('occurredAt');
    const { data: _data, ...bare } = m;
    expect(check('record.updated', bare)).toContain("must have required property 'data'");
  });

  it('lets a publisher leave out a field with a default, and accepts fields it does not know (.v1 grows)', () => {
    const command = structuredClone(exampleMessages['sync.command']);
    const { direction: _d, entityTypes: _e, fullSync: _f, ...data } = command.data;
    expect(check('sync.command', { ...command, data })).toBe('ok');
    expect(check('sync.command', { ...command, traceId: 'x', data: { ...command.data, page: 3 } })).toBe(
      'ok',
    );
  });

  it('accepts every example in docs/events.md, and the docs show every type', () => {
    const doc = readFileSync(new URL('../../../../docs/events.md', import.meta.url), 'utf8');
    const blocks: unknown[] = [...doc.matchAll(/```json\n([\s\S]*?)```/g)].map((b) => JSON.parse(b[1] ?? ''));
    const envelopes = blocks.filter(
      (b): b is { type: MessageType } =>
        typeof b === 'object' && b !== null && isMessageType(Reflect.get(b, 'type')),
    );
    expect(new Set(envelopes.map((e) => e.type))).toEqual(new Set(messageTypes));
    for (const e of envelopes) expect(check(e.type, e), e.type).toBe('ok');
  });
});
