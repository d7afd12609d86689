import type { OpenAPIHono } from '@hono/zod-openapi';
import { bodyLimit } from 'hono/body-limit';
import { HTTPException } from 'hono/http-exception';
import { ZodError } from 'zod';
import { createRouter } from './router.ts';
import { ApiError, sendError, validationError } from './errors.ts';
import { pgErrorCode } from './resources.ts';
import type { AppDeps, AppEnv } from './env.ts';
import { requireApiToken } from './auth.ts';
import { corsMiddleware } from './cors.ts';
import { adminRouter } from './routes/admin.ts';
import { auditRouter } from './routes/audit.ts';
import { docsRouter, openApiDocument } from './routes/docs.ts';
import { healthRouter } from './routes/health.ts';
import { locationsRouter } from './routes/locations.ts';
import { locksRouter } from './routes/locks.ts';
import { MAPPING_IMPORT_PATH, mappingFilesRouter } from './routes/mapping-files.ts';
import { mappingsRouter } from './routes/mappings.ts';
import { mappingProposalRouter } from './routes/mapping-proposal.ts';
import { meRouter } from './routes/me.ts';
import { unitsRouter } from './routes/units.ts';
import { keycafeRouter } from './routes/keycafe.ts';
import { tapkeyRouter } from './routes/tapkey.ts';
import { widgetCors, widgetRouter } from './routes/widget.ts';
import { HOOK_PATH_PREFIX, hooksRouter } from './routes/hooks.ts';
import { bookingImportRouter, isBookingImportPath } from './routes/booking-import.ts';


export const MAX_BODY_BYTES = 1024 * 1024;

export function createApp(deps: AppDeps) {
  const app = createRouter();
  app.use('*', async (c, next) => {
    c.set('deps', deps);
    await next();
  });
  // Before the general CORS: widget routes answer any page's preflight (server/widget/middleware.ts).
  app.use('/widget/*', widgetCors);
  app.use('*', corsMiddleware);
  const generalBodyLimit = bodyLimit({
    maxSize: MAX_BODY_BYTES,
    onError: (c) => {
      // The rest of the body is never read: close the connection so no client reuses a socket
      // that still carries it.
      c.header('Connection', 'close');
      return sendError(c, new ApiError('payload_too_large', `Request body is larger than ${MAX_BODY_BYTES} bytes`));
    },
  });
  // The mapping file import has its own, larger cap (routes/mapping-files.ts), as has the bookings file import.
  app.use('*', (c, next) => (c.req.path === MAPPING_IMPORT_PATH || isBookingImportPath(c.req.path) ? next() : generalBodyLimit(c, next)));
  // Booking webhooks are signed with a per-location secret instead (routes/hooks.ts).
  app.use('/v1/*', (c, next) => (c.req.path.startsWith(HOOK_PATH_PREFIX) ? next() : requireApiToken(c, next)));
  app.notFound((c) => sendError(c, new ApiError('not_found', `No route for ${c.req.method} ${new URL(c.req.url).pathname}`)));
  app.onError((err, c) => {
    if (err instanceof ApiError) return sendError(c, err);
    if (err instanceof ZodError) return sendError(c, validationError(err));
    if (err instanceof HTTPException) {
      const code = err.status === 401 ? 'unauthorized' : err.status === 413 ? 'payload_too_large' : 'bad_request';
      // Keeps statuses such as 415 (wrong Content-Type) while answering the contract's body.
      const status = err.status >= 400 && err.status < 500 ? err.status : 400;
      return sendError(c, new ApiError(code, err.message || 'Bad request', [], undefined, status as 400));
    }
    // PostgreSQL cannot store a NUL character (\u0000) in text or JSON: the input's fault, not ours.
    const pgCode = pgErrorCode(err);
    if (pgCode === '22021' || pgCode === '22P05') return sendError(c, new ApiError('bad_request', 'Text must not contain NUL (\\u0000) characters'));
    console.error(err);
    return sendError(c, new ApiError('internal', 'Internal error'));
  });

  // One line per area, in this order: it is the order of the API reference, and a static path
  // must come before a parameter in the same place (/v1/locks/export before /v1/locks/{lockId}).
  // An area's router declares its paths below its mount point; the routers mounted at '/' hold
  // routes of several areas (e.g. /v1/locations/{id}/keycafe/… and /v1/keycafe/…) and
  // declare full paths.
  app.route('/', healthRouter);
  app.route('/v1/me', meRouter);
  app.route('/v1/locations', locationsRouter);
  app.route('/', mappingProposalRouter);
  app.route('/v1/units', unitsRouter);
  app.route('/', mappingFilesRouter);
  app.route('/v1/locks', locksRouter);
  app.route('/', mappingsRouter);
  app.route('/v1/audit-events', auditRouter);
  app.route('/', keycafeRouter);
  app.route('/', tapkeyRouter);
  app.route('/', adminRouter);
  // Areas the host process adds (the sandbox dev entry's discovery route, sandbox/dev.ts).
  for (const router of deps.extraRoutes ?? []) app.route('/', router);
  app.route('/', widgetRouter);
  app.route('/', hooksRouter);
  app.route('/', bookingImportRouter);

  // Last, so the document lists every route mounted above.
  mountDocs(app, deps);
  return app;
}

function mountDocs(app: OpenAPIHono<AppEnv>, deps: AppDeps) {
  app.openAPIRegistry.registerComponent('securitySchemes', 'bearerAuth', {
    type: 'http',
    scheme: 'bearer',
    description: 'An API token (`ab_…`) from `npm run admin -- create-token` or the one printed at first start.',
  });
  app.route('/', docsRouter(() => openApiDocument(app, deps)));
}
