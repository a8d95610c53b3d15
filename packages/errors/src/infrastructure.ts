/** A dependency whose outage the engine waits out instead of failing a message. */
export type Dependency = 'database' | 'nats' | 'servicetitan' | 'embeddings';

/** What an operator reads when a dependency is down: the problem `detail` and the `/readyz` names. */
export const dependencyDown: Record<Dependency, string> = {
  database: 'Database connection failed',
  nats: 'Message broker unavailable',
  servicetitan: 'ServiceTitan unavailable',
  embeddings: 'Embeddings provider unavailable',
};

/** SQLSTATEs that mean the server is gone or refusing sessions, not that the statement is wrong. */
const pgConnectionState = /^(08...|57P0[1-3]|53300)$/;
const databaseNames = new Set(['ConnectionException', 'KnexTimeoutError']);
const databaseMessages =
  /Connection terminated|Connection ended unexpectedly|connection error and is not queryable|timeout exceeded when trying to connect|Timeout acquiring a connection|the database system is (starting up|shutting down|in recovery mode)/i;
/** nats.js names its connection failures; a permission violation or a bad subject is not an outage. */
const natsNames = new Set([
  'ConnectionError',
  'ClosedConnectionError',
  'DrainingConnectionError',
  'NoResponders',
]);
const socketCodes = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
  'ENOTFOUND',
]);

const field = (value: object, key: string): unknown => Reflect.get(value, key);

/** The error itself, its causes and the members of an AggregateError, breadth first, bounded. */
function* chain(error: unknown): Generator<object> {
  const queue: unknown[] = [error];
  for (let seen = 0; queue.length > 0 && seen < 16; seen += 1) {
    const e = queue.shift();
    if (typeof e !== 'object' || e === null) continue;
    yield e;
    queue.push(field(e, 'cause'));
    const members = field(e, 'errors');
    if (Array.isArray(members)) queue.push(...members);
  }
}

function dependencyOf(e: object): Dependency | undefined {
  const name = field(e, 'name');
  const code = field(e, 'code');
  const message = field(e, 'message');
  if (typeof name === 'string' && natsNames.has(name)) return 'nats';
  if (typeof name === 'string' && databaseNames.has(name)) return 'database';
  if (typeof code === 'string' && pgConnectionState.test(code)) return 'database';
  if (typeof message === 'string' && databaseMessages.test(message)) return 'database';
  // nats.js and the ServiceTitan client wrap their own socket failures (`ConnectionError`,
  // `upstream_unavailable`), so a bare socket error that reaches a handler is the database driver's.
  if (typeof code === 'string' && socketCodes.has(code)) return 'database';
  return undefined;
}

/**
 * Which dependency a thrown value says is unreachable, read from its shape (driver error names,
 * SQLSTATE classes 08 and 57P, socket error codes), or `undefined` when it is not an outage.
 *
 * @example
 * unreachableDependency(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' })); // 'database'
 */
export function unreachableDependency(error: unknown): Dependency | undefined {
  for (const e of chain(error)) {
    const dependency = dependencyOf(e);
    if (dependency) return dependency;
  }
  return undefined;
}
