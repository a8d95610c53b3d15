import { describe, expect, it } from 'vitest';
import { AppError, toAppError, toProblem } from './index';

const withCode = (message: string, code: string, name = 'Error') =>
  Object.assign(new Error(message), { code, name });

describe('failure classification', () => {
  it('bad input is message-caused: terminal, whatever its code', () => {
    for (const code of [
      'validation_failed',
      'bad_message',
      'not_found',
      'conflict',
      'upstream_rejected',
    ] as const) {
      expect(new AppError(code, 'no').kind, code).toBe('message');
    }
    expect(new AppError('internal', 'refused on purpose', { retry: false }).kind).toBe('message');
  });

  it('an unknown error or a failing statement is a bug, retried within the budget', () => {
    expect(toAppError(new TypeError('x is undefined')).kind).toBe('bug');
    // A unique violation is the statement's fault, not an outage.
    expect(toAppError(withCode('duplicate key value', '23505', 'DriverException')).kind).toBe('bug');
  });

  it('the database unreachable is an outage of the database, whatever the driver layer says', () => {
    const shapes = [
      withCode('connect ECONNREFUSED 127.0.0.1:5432', 'ECONNREFUSED'),
      withCode('select 1 - terminating connection due to administrator command', '57P01', 'DriverException'),
      withCode('the database system is starting up', '57P03'),
      withCode('could not connect to server', '08006'),
      new Error('select 1 - Connection terminated unexpectedly'),
      Object.assign(new Error('Knex: Timeout acquiring a connection. The pool is probably full.'), {
        name: 'KnexTimeoutError',
      }),
      new AggregateError([withCode('connect ECONNREFUSED ::1:5432', 'ECONNREFUSED')], 'connect failed'),
      new AppError('internal', 'wrapped', { cause: withCode('read ECONNRESET', 'ECONNRESET') }),
    ];
    for (const shape of shapes) {
      const e = toAppError(shape);
      expect({ code: e.code, kind: e.kind, dependency: e.dependency }, String(shape)).toEqual({
        code: 'unavailable',
        kind: 'infrastructure',
        dependency: 'database',
      });
    }
  });

  it('NATS and ServiceTitan outages name their dependency', () => {
    const nats = Object.assign(new Error('closed'), { name: 'ClosedConnectionError' });
    expect(toAppError(nats)).toMatchObject({ kind: 'infrastructure', dependency: 'nats' });
    expect(new AppError('upstream_unavailable', 'ST 503')).toMatchObject({
      kind: 'infrastructure',
      dependency: 'servicetitan',
    });
    expect(new AppError('rate_limited', 'ST 429').kind).toBe('infrastructure');
    // "Not yet" without a dependency (a fence waiting for its decisions) spends the budget.
    expect(new AppError('unavailable', 'waiting for decisions').kind).toBe('bug');
    const denied = Object.assign(new Error('denied'), { name: 'PermissionViolationError' });
    expect(toAppError(denied).kind).toBe('bug');
  });

  it('answers a 503 problem naming what is down, without the driver message', () => {
    const problem = toProblem(withCode('connect ECONNREFUSED 10.0.0.5:5432', 'ECONNREFUSED'), '/api/x');
    expect(problem).toMatchObject({
      status: 503,
      code: 'unavailable',
      retry: true,
      detail: 'Database connection failed',
      dependency: 'database',
    });
    expect(JSON.stringify(problem)).not.toContain('10.0.0.5');
    const broker = toProblem(new AppError('unavailable', 'publish failed', { dependency: 'nats' }));
    expect(broker).toMatchObject({ status: 503, dependency: 'nats', detail: 'Message broker unavailable' });
  });
});
