import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { ZodError } from 'zod';
import type { ErrorBody, ErrorCode, FieldError } from '../lib/contract.ts';
import { languageOfHeader, localizeFieldErrors, localizeMessage } from './error-messages.ts';

const statusOf: Record<ErrorCode, ContentfulStatusCode> = {
  bad_request: 400,
  validation_failed: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  unprocessable: 422,
  rate_limited: 429,
  provider_error: 502,
  unavailable: 503,
  internal: 500,
};

/** An error that becomes the contract's JSON error body. Throw it anywhere in a handler. */
export class ApiError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly fieldErrors: FieldError[] = [],
    readonly details?: unknown,
    readonly status: ContentfulStatusCode = statusOf[code],
  ) {
    super(message);
  }
}

export const notFound = (what: string) => new ApiError('not_found', `${what} not found`);

/** zod issues → `[{path: "a.b.0", message}]`, the field paths the UI puts beside each field. */
export function fieldErrorsOf(err: ZodError, prefix: (string | number)[] = []): FieldError[] {
  return err.issues.map((i) => ({ path: [...prefix, ...i.path].map(String).join('.'), message: i.message }));
}

export function validationError(err: ZodError, prefix: (string | number)[] = []): ApiError {
  return new ApiError('validation_failed', 'Some fields are not valid', fieldErrorsOf(err, prefix));
}

export function errorBody(e: ApiError): ErrorBody {
  return { error: { code: e.code, message: e.message }, fieldErrors: e.fieldErrors, ...(e.details === undefined ? {} : { details: e.details }) };
}

export function sendError(c: Context, e: ApiError) {
  if ((e.code === 'rate_limited' || e.code === 'unavailable') && typeof e.details === 'object' && e.details && 'retryAfterSeconds' in e.details)
    c.header('Retry-After', String((e.details as { retryAfterSeconds: number }).retryAfterSeconds));
  // The body keeps its shape; only the texts follow the caller's Accept-Language.
  const lang = languageOfHeader(c.req.header('accept-language'));
  const body = errorBody(e);
  body.error.message = localizeMessage(e.code, body.error.message, lang);
  body.fieldErrors = localizeFieldErrors(body.fieldErrors, lang);
  return c.json(body, e.status);
}
