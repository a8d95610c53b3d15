import { z } from 'zod';
import { TenantId } from '../tenant';
import { catalog, messageSchema } from './catalog';
import { type MessageType, subjectPatterns } from './subjects';

/** A JSON Schema (draft-07) as plain data. */
export type JsonSchema = Record<string, unknown>;

/** How the wire spells a tenant, as docs/events.md says: digits in a string. */
const tenantOnTheWire = z.toJSONSchema(TenantId, { io: 'output', target: 'draft-7' });

/**
 * The JSON Schema (draft-07) of one message type: the envelope with the type's `data`, generated
 * from its zod contract, so it cannot drift from what the engine parses. It describes what may be
 * sent (a field with a default may be left out) and allows unknown fields (`.v1` only grows).
 * Rules JSON Schema cannot say (no NUL character in text, "stId or recordId, not both", entity
 * types that do not repeat) are the engine's to check: a message the schema accepts can still be
 * refused for one of them, with its reason.
 *
 * @example
 * const validate = new Ajv().compile(messageJsonSchema('record.updated'));
 * validate(JSON.parse(msg.string()));
 */
export function messageJsonSchema(type: MessageType): JsonSchema {
  const schema = z.toJSONSchema(messageSchema(type), {
    target: 'draft-7',
    io: 'input',
    override: (ctx) => {
      // The envelope takes a number too (a lenient parse); the contract is the string it becomes.
      if (ctx.zodSchema !== TenantId) return;
      for (const key of Object.keys(ctx.jsonSchema)) delete ctx.jsonSchema[key];
      Object.assign(ctx.jsonSchema, tenantOnTheWire, { $schema: undefined });
    },
  });
  // Through JSON: drops the `undefined` left above, and gives plain data to serve or write.
  const { $schema, ...rest }: JsonSchema = JSON.parse(JSON.stringify(schema));
  const description = `${catalog[type].description} Subject: ${subjectPatterns[type]}.`;
  return { $schema, title: type, description, ...rest };
}
