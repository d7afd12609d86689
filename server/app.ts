import { OpenAPIHono } from '@hono/zod-openapi';
import { bodyLimit } from 'hono/body-limit';
import { HTTPException } from 'hono/http-exception';
import { ZodError } from 'zod';
import { ApiError, sendError, validationError } from './errors.ts';
import type { Database } from './db/client.ts';

export interface AppDeps {
  database: Database;
  /** Encrypts provider secrets at rest (see server/secrets.ts). */
  secretKey: Buffer;
  /** Origins allowed by CORS besides browser extensions (widget embedding pages). */
  corsOrigins?: string[];
  version?: string;
}

export type AppEnv = {
  Variables: {
    deps: AppDeps;
    /** Set by the auth middleware on /v1 routes. */
    organizationId: string;
    actor: string;
  };
};

export const MAX_BODY_BYTES = 1024 * 1024;

/** A sub-app whose validation failures answer the contract's JSON error body. */
export function createRouter() {
  return new OpenAPIHono<AppEnv>({
    defaultHook: (result, c) => {
      if (!result.success) return sendError(c, validationError(result.error as ZodError));
    },
  });
}

export function createApp(deps: AppDeps) {
  const app = createRouter();
  app.use('*', async (c, next) => {
    c.set('deps', deps);
    await next();
  });
  app.use(
    '*',
    bodyLimit({
      maxSize: MAX_BODY_BYTES,
      onError: (c) => sendError(c, new ApiError('payload_too_large', `Request body is larger than ${MAX_BODY_BYTES} bytes`)),
    }),
  );
  app.notFound((c) => sendError(c, new ApiError('not_found', `No route for ${c.req.method} ${new URL(c.req.url).pathname}`)));
  app.onError((err, c) => {
    if (err instanceof ApiError) return sendError(c, err);
    if (err instanceof ZodError) return sendError(c, validationError(err));
    if (err instanceof HTTPException) {
      const code = err.status === 401 ? 'unauthorized' : err.status === 413 ? 'payload_too_large' : 'bad_request';
      return sendError(c, new ApiError(code, err.message || 'Bad request'));
    }
    console.error(err);
    return sendError(c, new ApiError('internal', 'Internal error'));
  });
  return app;
}
