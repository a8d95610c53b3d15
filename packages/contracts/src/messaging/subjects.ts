import { type EntityType, entityTypes } from '../entities';

/**
 * Every subject the engine publishes or consumes, one pattern per message type.
 * `{tenant}` is the ST tenant id, `{entity}` one of the pricebook entity types.
 * The message type is the catalog key; the pattern is the wire contract.
 */
export const subjectPatterns = {
  'sync.command': 'pricebook.cmd.{tenant}.sync.v1',
  'resolve.command': 'pricebook.cmd.{tenant}.resolve.v1',
  'push.command': 'pricebook.cmd.{tenant}.push.v1',
  'scheduler.command': 'pricebook.cmd.{tenant}.scheduler.v1',
  'drift.command': 'pricebook.cmd.{tenant}.drift.v1',
  'record.observed': 'pricebook.pipe.{tenant}.{entity}.observed.v1',
  'record.decided': 'pricebook.pipe.{tenant}.{entity}.decided.v1',
  'sync.fence': 'pricebook.pipe.{tenant}.sync.fence.v1',
  'record.created': 'pricebook.events.{tenant}.{entity}.created.v1',
  'record.updated': 'pricebook.events.{tenant}.{entity}.updated.v1',
  'record.deleted': 'pricebook.events.{tenant}.{entity}.deleted.v1',
  'record.conflicted': 'pricebook.events.{tenant}.{entity}.conflicted.v1',
  'record.resolved': 'pricebook.events.{tenant}.{entity}.resolved.v1',
  'sync.started': 'pricebook.events.{tenant}.sync.started.v1',
  'sync.progress': 'pricebook.events.{tenant}.sync.progress.v1',
  'sync.completed': 'pricebook.events.{tenant}.sync.completed.v1',
  'sync.failed': 'pricebook.events.{tenant}.sync.failed.v1',
  'changeset.reverted': 'pricebook.events.{tenant}.changeset.reverted.v1',
  'inbound.upsert': 'pricebook.inbound.{tenant}.{entity}.upsert.v1',
  'inbound.delete': 'pricebook.inbound.{tenant}.{entity}.delete.v1',
} as const;

export type MessageType = keyof typeof subjectPatterns;

/** All message types, in catalog order. */
export const messageTypes = Object.keys(subjectPatterns) as MessageType[];

/** Message types whose subject carries an entity token. */
export type EntityScopedType = {
  [K in MessageType]: (typeof subjectPatterns)[K] extends `${string}{entity}${string}` ? K : never;
}[MessageType];

/** What a subject of type `T` is made of. */
export type SubjectParams<T extends MessageType> = T extends EntityScopedType
  ? { tenant: string; entity: EntityType }
  : { tenant: string };

/** A subject taken apart. `entity` is present for entity-scoped types only. */
export interface ParsedSubject {
  type: MessageType;
  tenant: string;
  entity?: EntityType;
}

const tenantToken = /^[1-9][0-9]{0,18}$/;
const entitySet: ReadonlySet<string> = new Set(entityTypes);
const patternTokens = messageTypes.map((type) => ({ type, tokens: subjectPatterns[type].split('.') }));

function fill(pattern: string, tenant: string, entity: string): string {
  return pattern.replace('{tenant}', tenant).replace('{entity}', entity);
}

/**
 * The concrete subject of one message.
 *
 * @example
 * subjectFor('record.observed', { tenant: '1001', entity: 'materials' });
 * // 'pricebook.pipe.1001.materials.observed.v1'
 */
export function subjectFor<T extends MessageType>(type: T, params: SubjectParams<T>): string {
  if (!tenantToken.test(params.tenant)) throw new Error(`invalid tenant token: ${params.tenant}`);
  const pattern: string = subjectPatterns[type];
  if (!pattern.includes('{entity}')) return fill(pattern, params.tenant, '');
  const entity = 'entity' in params ? params.entity : undefined;
  if (entity === undefined || !entitySet.has(entity)) throw new Error(`invalid entity token: ${entity}`);
  return fill(pattern, params.tenant, entity);
}

/**
 * A NATS filter for one message type; omitted tokens become `*`.
 *
 * @example
 * subjectFilter('record.updated', { entity: 'materials' }); // 'pricebook.events.*.materials.updated.v1'
 * subjectFilter('sync.command'); // 'pricebook.cmd.*.sync.v1'
 */
export function subjectFilter(
  type: MessageType,
  params: { tenant?: string; entity?: EntityType } = {},
): string {
  return fill(subjectPatterns[type], params.tenant ?? '*', params.entity ?? '*');
}

/**
 * Takes a concrete subject apart; `undefined` when it is not one of ours.
 *
 * @example
 * parseSubject('pricebook.events.1001.services.deleted.v1');
 * // { type: 'record.deleted', tenant: '1001', entity: 'services' }
 */
export function parseSubject(subject: string): ParsedSubject | undefined {
  const tokens = subject.split('.');
  for (const candidate of patternTokens) {
    if (candidate.tokens.length !== tokens.length) continue;
    let tenant: string | undefined;
    let entity: EntityType | undefined;
    const matches = candidate.tokens.every((expected, i) => {
      const token = tokens[i] ?? '';
      if (expected === '{tenant}') {
        tenant = token;
        return tenantToken.test(token);
      }
      if (expected === '{entity}') {
        entity = entityTypes.find((e) => e === token);
        return entity !== undefined;
      }
      return expected === token;
    });
    if (matches && tenant !== undefined) {
      return entity === undefined
        ? { type: candidate.type, tenant }
        : { type: candidate.type, tenant, entity };
    }
  }
  return undefined;
}

/**
 * Named builders, for call sites that read better without a type string.
 *
 * @example
 * subjects.command('1001', 'sync'); // 'pricebook.cmd.1001.sync.v1'
 * subjects.recordEvent('1001', 'materials', 'updated');
 */
export const subjects = {
  command: (tenant: string, kind: 'sync' | 'resolve' | 'push' | 'scheduler') =>
    subjectFor(`${kind}.command`, { tenant }),
  pipeline: (tenant: string, entity: EntityType, stage: 'observed' | 'decided') =>
    subjectFor(`record.${stage}`, { tenant, entity }),
  fence: (tenant: string) => subjectFor('sync.fence', { tenant }),
  recordEvent: (
    tenant: string,
    entity: EntityType,
    kind: 'created' | 'updated' | 'deleted' | 'conflicted' | 'resolved',
  ) => subjectFor(`record.${kind}`, { tenant, entity }),
  syncEvent: (tenant: string, kind: 'started' | 'progress' | 'completed' | 'failed') =>
    subjectFor(`sync.${kind}`, { tenant }),
  inbound: (tenant: string, entity: EntityType, op: 'upsert' | 'delete') =>
    subjectFor(`inbound.${op}`, { tenant, entity }),
};

/**
 * Whether a NATS filter (`*` one token, `>` the rest) matches a subject or another filter
 * (a filter token `*` matches only `*` or a literal, so this also answers "is a subset of").
 *
 * @example
 * subjectMatches('pricebook.events.*.*.updated.v1', 'pricebook.events.1001.materials.updated.v1'); // true
 */
export function subjectMatches(filter: string, subject: string): boolean {
  const f = filter.split('.');
  const s = subject.split('.');
  for (let i = 0; i < f.length; i++) {
    const token = f[i];
    if (token === '>') return s.length > i;
    if (i >= s.length) return false;
    if (token !== '*' && token !== s[i]) return false;
    if (token === '*' && s[i] === '>') return false;
  }
  return f.length === s.length;
}
