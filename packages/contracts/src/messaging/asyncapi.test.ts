import { readFileSync } from 'node:fs';
import { Parser } from '@asyncapi/parser';
import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { asyncApiDocument } from './asyncapi';
import { catalog } from './catalog';
import { exampleMessages } from './examples';
import { streams } from './streams';
import { messageTypes, subjectPatterns } from './subjects';

const generated = asyncApiDocument();

interface Doc {
  channels: Record<string, { address: string; parameters: Record<string, unknown>; messages: object }>;
  operations: Record<string, { action: string; channel: { $ref: string } }>;
  components: {
    schemas: Record<string, object>;
    messages: Record<string, { payload: { $ref: string }; examples: Array<{ payload: unknown }> }>;
  };
  info: { tags: Array<{ name: string }> };
}
const doc = generated as unknown as Doc;

/** From the engine's side: it publishes events, consumes edits, and both sends and takes the rest. */
const engineActions = {
  PRICEBOOK_EVENTS: ['send'],
  PRICEBOOK_INBOUND: ['receive'],
  PRICEBOOK_COMMANDS: ['send', 'receive'],
  PRICEBOOK_PIPELINE: ['send', 'receive'],
};

describe('the AsyncAPI document', () => {
  it('is valid AsyncAPI 3.0 for the AsyncAPI parser', async () => {
    const { document, diagnostics } = await new Parser().parse(JSON.stringify(generated));
    // Severity 0 is an error; warnings and hints are advice.
    const errors = diagnostics
      .filter((d) => d.severity === 0)
      .map((d) => `${d.path.join('.')}: ${d.message}`);
    expect(errors).toEqual([]);
    expect(document?.version()).toBe('3.0.0');
    expect(document?.channels().length).toBe(messageTypes.length);
    expect(document?.messages().length).toBe(messageTypes.length);
  });

  it('has a channel for every subject pattern, with its parameters', () => {
    const addresses = Object.values(doc.channels).map((c) => c.address);
    expect(addresses.sort()).toEqual(Object.values(subjectPatterns).sort());
    for (const type of messageTypes) {
      const channel = doc.channels[type];
      const tokens = [...subjectPatterns[type].matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
      expect(Object.keys(channel?.parameters ?? {}), type).toEqual(tokens);
    }
  });

  it('names every stream, and gives every type its operations, payload and example', () => {
    expect(doc.info.tags.map((t) => t.name).sort()).toEqual(Object.keys(streams).sort());
    const ajv = new Ajv({ allErrors: true });
    addFormats(ajv);
    for (const type of messageTypes) {
      const actions = Object.values(doc.operations)
        .filter((o) => o.channel.$ref === `#/channels/${type}`)
        .map((o) => o.action);
      expect(actions, type).toEqual(engineActions[catalog[type].stream]);
      const message = doc.components.messages[type];
      expect(message?.payload.$ref).toBe(`#/components/schemas/${type}`);
      const validate = ajv.compile(doc.components.schemas[type] ?? {});
      for (const example of message?.examples ?? []) {
        expect(validate(example.payload) ? 'ok' : ajv.errorsText(validate.errors), type).toBe('ok');
      }
      expect(message?.examples.map((e) => e.payload)).toEqual([exampleMessages[type]]);
    }
  });

  it('is committed as docs/asyncapi.json (regenerate: pnpm --filter @pricebook/contracts asyncapi)', () => {
    const committed = readFileSync(new URL('../../../../docs/asyncapi.json', import.meta.url), 'utf8');
    expect(JSON.parse(committed)).toEqual(generated);
  });
});
