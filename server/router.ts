import { OpenAPIHono } from '@hono/zod-openapi';
import type { ZodError } from 'zod';
import { sendError, validationError } from './errors.ts';
import type { AppEnv } from './env.ts';

/**
 * A sub-app whose validation failures answer the contract's JSON error body. Kept apart from
 * app.ts (which re-exports it) so route modules that app.ts imports can call it at load time.
 */
export function createRouter() {
  return new OpenAPIHono<AppEnv>({
    defaultHook: (result, c) => {
      if (!result.success) return sendError(c, validationError(result.error as ZodError));
    },
  });
}
