import { describe, expect, it } from 'vitest';
import { AppError, toAppError, toProblem } from './index';

describe('AppError', () => {
  it('takes retry and status from its code unless overridden', () => {
    expect(new AppError('rate_limited', 'slow down').retry).toBe(true);
    expect(new AppError('validation_failed', 'bad').status).toBe(400);
    expect(new AppError('internal', 'x', { retry: false }).retry).toBe(false);
  });

  it('wraps unknown errors as retryable internal errors', () => {
    const e = toAppError(new TypeError('boom'));
    expect(e.code).toBe('internal');
    expect(e.retry).toBe(true);
  });

  it('renders problem+json without leaking internal messages', () => {
    const p = toProblem(new Error('password=hunter2 at db'), '/x');
    expect(p).toMatchObject({ status: 500, code: 'internal', instance: '/x' });
    expect(p.detail).not.toContain('hunter2');
    const v = toProblem(
      new AppError('validation_failed', 'bad body', { details: { errors: [{ path: 'price' }] } }),
    );
    expect(v).toMatchObject({ status: 400, detail: 'bad body', errors: [{ path: 'price' }] });
  });
});
