/**
 * The embeddable widget's server side:
 *  - `POST /v1/widget-tokens` (API token): mints a short-lived widget token for some origins
 *    and actions (server/widget/tokens.ts says why it is signed rather than stored);
 *  - `GET /widget.js`: the widget script, for `<script src>` on any page, and
 *    `GET /widget-chunks/{file}`: the code it loads on a view's first use (server/widget/script.ts);
 *  - `/widget/v1/...`: the slice of the API a widget token opens (server/widget/scopes.ts),
 *    served by the API's own handlers behind the widget middleware.
 */
import { createRoute, z } from '@hono/zod-openapi';
import { and, asc, eq, isNotNull } from 'drizzle-orm';
import { Hono } from 'hono';
import { widgetTokenInput, widgetTokenSchema, type WidgetSession } from '../../lib/contract.ts';
import { recordAudit } from '../audit.ts';
import { verifyApiToken } from '../auth.ts';
import { locations, organizations } from '../db/schema/index.ts';
import { ApiError, notFound, sendError } from '../errors.ts';
import { createRouter } from '../router.ts';
import { loadWidgetChunk, loadWidgetScript, matchesEtag, widgetFileHeaders, DEFAULT_WIDGET_SCRIPT, WIDGET_CHUNK_DIR } from '../widget/script.ts';
import { mintWidgetToken } from '../widget/tokens.ts';
import { WIDGET_API_PREFIX, widgetAuth, widgetKeyOf, type WidgetEnv } from '../widget/middleware.ts';
import { keycafeRouter } from './keycafe.ts';
import { locksRouter } from './locks.ts';
import { mappingsRouter } from './mappings.ts';
import { ErrorBody, errors, json, jsonBody, openapi } from './openapi.ts';
import { unitsRouter } from './units.ts';

export { widgetCors, WIDGET_API_PREFIX } from '../widget/middleware.ts';

const tags = ['Widget'];

const mint = createRoute({
  method: 'post',
  path: '/v1/widget-tokens',
  tags,
  summary: 'Mint a widget token for pages that embed <accessbridge-widget>',
  description:
    'The token is bound to your organization, the API token used here, the embedding `origins` and the `actions` ' +
    '(`keycafe:book`, `keycafe:read`, `mapping:write`, `mapping:read`), and expires after `ttlSeconds` (at most 24 h). ' +
    'Widget calls go to `/widget/v1/...`; each is refused unless its `Origin` is one of the token’s origins and the route needs one of its actions. ' +
    'A widget token reads, cancels and retries only the Keycafe bookings it made; with `keycafe:read` it also lists the others’ bookings, without their booking codes and check-in links. ' +
    'Revoking the API token revokes every widget token it minted. Mint it on your server for each page view and put it in the page: ' +
    '`<script src="<api>/widget.js" async></script>` and `<accessbridge-widget api="<api>" token="<widget token>" view="keycafe-booking" key="<key id>">`.',
  request: jsonBody(openapi(widgetTokenInput, 'WidgetTokenInput')),
  responses: { 201: json(openapi(widgetTokenSchema, 'WidgetToken'), 'The token (shown once) and what it allows until when'), ...errors(400, 401, 413) },
});

const script = createRoute({
  method: 'get',
  path: '/widget.js',
  tags,
  summary: 'The <accessbridge-widget> script (it loads each view\'s code from /widget-chunks/ on first use)',
  responses: {
    200: { content: { 'text/javascript': { schema: z.string() } }, description: 'The script; cache for 5 minutes, then revalidate with its ETag' },
    304: { description: 'Unchanged since the ETag sent in If-None-Match' },
    503: json(ErrorBody, 'Not built yet (`npm run build:widget`)'),
  },
});

const chunk = createRoute({
  method: 'get',
  path: `/${WIDGET_CHUNK_DIR}/{file}`,
  tags,
  summary: 'A module the widget script imports on a view\'s first use (named by the script)',
  request: { params: z.object({ file: z.string() }) },
  responses: {
    200: { content: { 'text/javascript': { schema: z.string() } }, description: 'The module; its name changes with its content, so it is cached for good' },
    304: { description: 'Unchanged since the ETag sent in If-None-Match' },
    ...errors(404),
  },
});

/** What the widget may do, for whom, until when (the widget shows it and picks its view). */
async function session(c: import('hono').Context<WidgetEnv>) {
  const w = c.get('widget');
  const { db } = c.get('deps').database;
  const [org] = await db.select({ name: organizations.name }).from(organizations).where(eq(organizations.id, w.org));
  if (!org) throw notFound('Organization');
  const keycafe = w.actions.some((a) => a.startsWith('keycafe:'));
  const accounts = keycafe
    ? await db
        .select({ id: locations.id, name: locations.name })
        .from(locations)
        .where(and(eq(locations.organizationId, w.org), isNotNull(locations.keycafe)))
        .orderBy(asc(locations.name))
    : [];
  const body: WidgetSession = { organization: { name: org.name }, origin: w.origin, actions: w.actions, expiresAt: new Date(w.exp * 1000).toISOString(), keycafeAccounts: accounts };
  return c.json(body, 200);
}

// The API's own routers, reached through /widget with a widget token; the rules in
// server/widget/scopes.ts pick the routes a widget may call, refusing the rest before any handler.
const widgetApi = new Hono<WidgetEnv>()
  .use('*', widgetAuth)
  .get('/v1/session', session)
  .route('/', keycafeRouter as unknown as Hono<WidgetEnv>)
  .route('/v1/units', unitsRouter as unknown as Hono<WidgetEnv>)
  .route('/v1/locks', locksRouter as unknown as Hono<WidgetEnv>)
  .route('/', mappingsRouter as unknown as Hono<WidgetEnv>);

export const widgetRouter = createRouter()
  .openapi(mint, async (c) => {
    const input = c.req.valid('json');
    const deps = c.get('deps');
    const organizationId = c.get('organizationId');
    // requireApiToken accepted this bearer; its id is what the widget token stays bound to.
    const bearer = c.req.header('authorization')?.match(/^Bearer\s+(\S+)\s*$/i)?.[1];
    const minter = bearer ? await verifyApiToken(deps.database.db, bearer) : null;
    if (!minter || minter.organizationId !== organizationId) throw new ApiError('unauthorized', 'Invalid or revoked API token');
    const origins = [...new Set(input.origins)];
    const { token, payload } = mintWidgetToken(widgetKeyOf(deps), { organizationId, apiTokenId: minter.id, origins, actions: input.actions, ttlSeconds: input.ttlSeconds });
    const issuedAt = new Date(payload.iat * 1000).toISOString();
    const expiresAt = new Date(payload.exp * 1000).toISOString();
    // The token itself is never stored or logged: it is a bearer credential.
    await recordAudit(deps.database.db, {
      organizationId,
      actor: c.get('actor'),
      action: 'widget_token.created',
      entity: 'widget_token',
      entityId: payload.jti,
      after: { origins, actions: input.actions, issuedAt, expiresAt },
    });
    return c.json({ token, organizationId, origins, actions: input.actions, issuedAt, expiresAt }, 201);
  })
  .openapi(script, async (c) => {
    const found = await loadWidgetScript(c.get('deps').widget?.scriptPath ?? DEFAULT_WIDGET_SCRIPT);
    if (!found) return sendError(c, new ApiError('unavailable', 'The widget script is not built: run "npm run build:widget"'));
    // Not fingerprinted (pages link /widget.js): short max-age, then a cheap ETag revalidation.
    const headers = widgetFileHeaders(found, 'public, max-age=300');
    if (matchesEtag(c.req.header('if-none-match'), found)) return c.body(null, 304, headers);
    return c.body(found.body, 200, headers);
  })
  .openapi(chunk, async (c) => {
    const found = await loadWidgetChunk(c.get('deps').widget?.scriptPath ?? DEFAULT_WIDGET_SCRIPT, c.req.valid('param').file);
    if (!found) return sendError(c, notFound('Widget chunk'));
    // Named after their content: a new build has new names.
    const headers = widgetFileHeaders(found, 'public, max-age=31536000, immutable');
    if (matchesEtag(c.req.header('if-none-match'), found)) return c.body(null, 304, headers);
    return c.body(found.body, 200, headers);
  })
  .route(WIDGET_API_PREFIX, widgetApi);
