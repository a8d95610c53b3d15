import { randomBytes } from 'node:crypto';

/** ASP.NET-style field errors: `{ "Code": ["The Code field is required."] }`. */
export type FieldErrors = Record<string, string[]>;

/** ServiceTitan's documented error body (`ApiErrorResponse`, RFC 7807). */
export interface ApiErrorResponse {
  type: string;
  title: string;
  status: number;
  traceId: string;
  errors: FieldErrors;
  data: Record<string, unknown>;
}

const typeByStatus: Record<number, string> = {
  400: 'https://tools.ietf.org/html/rfc7231#section-6.5.1',
  401: 'https://tools.ietf.org/html/rfc7235#section-3.1',
  403: 'https://tools.ietf.org/html/rfc7231#section-6.5.3',
  404: 'https://tools.ietf.org/html/rfc7231#section-6.5.4',
  409: 'https://tools.ietf.org/html/rfc7231#section-6.5.8',
  429: 'https://tools.ietf.org/html/rfc6585#section-4',
  500: 'https://tools.ietf.org/html/rfc7231#section-6.6.1',
};

/** Thrown anywhere in a handler; the app's error handler turns it into the response. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    readonly errors: FieldErrors = {},
    readonly headers: Record<string, string> = {},
  ) {
    super(title);
    this.name = 'ApiError';
  }
}

export function validationError(errors: FieldErrors): ApiError {
  return new ApiError(400, 'One or more validation errors occurred.', errors);
}

export function notFound(what: string, id: number | string): ApiError {
  return new ApiError(404, `${what} with id ${id} was not found.`);
}

/** Adds `message` under `field`, keeping earlier messages for the same field. */
export function addError(errors: FieldErrors, field: string, message: string): void {
  const list = errors[field];
  if (list) list.push(message);
  else errors[field] = [message];
}

/** W3C trace-context style id, as ASP.NET puts in `traceId`. */
export function traceId(): string {
  const bytes = randomBytes(24).toString('hex');
  return `00-${bytes.slice(0, 32)}-${bytes.slice(32, 48)}-00`;
}

export function problemBody(status: number, title: string, errors: FieldErrors = {}): ApiErrorResponse {
  return {
    type: typeByStatus[status] ?? typeByStatus[500] ?? '',
    title,
    status,
    traceId: traceId(),
    errors,
    data: {},
  };
}

export function problemResponse(error: ApiError): Response {
  return new Response(JSON.stringify(problemBody(error.status, error.title, error.errors)), {
    status: error.status,
    headers: { 'content-type': 'application/problem+json; charset=utf-8', ...error.headers },
  });
}

/** The 429 every throttle sends: `Retry-After` and a title ending "Try again in N seconds.". */
export function rateLimitedError(retryAfterSeconds: number): ApiError {
  return new ApiError(
    429,
    `Rate limit is exceeded. Try again in ${retryAfterSeconds} seconds.`,
    {},
    {
      'retry-after': String(retryAfterSeconds),
    },
  );
}
