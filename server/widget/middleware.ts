/**
 * Authentication and CORS of the widget routes (/widget/v1/...). Kept apart from the API-token
 * middleware (server/auth.ts): a widget token opens only the routes in scopes.ts, only from
 * the origins it names, only for its actions, and only while the API token that minted it is
 * active. Then the request runs the API's own handlers for the token's organization.
 */
import { and, eq, isNull } from 'drizzle-orm';
import { createMiddleware } from 'hono/factory';
import type { AppDeps, AppEnv } from '../env.ts';
import { apiTokens } from '../db/schema/index.ts';
import { cors } from '../cors.ts';
import { ApiError, sendError } from '../errors.ts';
import { widgetRuleFor } from './scopes.ts';
import { readWidgetToken, widgetSigningKey, type WidgetTokenPayload } from './tokens.ts';

export const WIDGET_API_PREFIX = '/widget';

export type WidgetEnv = AppEnv & { Variables: { widget: WidgetTokenPayload & { origin: string } } };

const keys = new WeakMap<AppDeps, Buffer>();
export function widgetKeyOf(deps: AppDeps): Buffer {
  let key = keys.get(deps);
  if (!key) keys.set(deps, (key = widgetSigningKey(deps.secretKey)));
  return key;
}

/** An origin a web page can have (what the Origin header of a widget call carries). */
const webOrigin = /^https?:\/\/[^/\s]+$/;

const ALLOW_METHODS = 'GET,HEAD,POST,PUT,DELETE';
const ALLOW_HEADERS = 'Authorization,Content-Type,Idempotency-Key,Accept-Language';

/**
 * A preflight carries no token, so it cannot be checked against the token's origins: it is
 * answered for any web origin, and the real request is refused unless its Origin is one of
 * the token's. Answers carry the caller's origin so the widget can read why it was refused
 * (the body names no data); a successful answer only ever reaches an origin the token allows.
 */
export const widgetCors = cors({
  allows: (origin) => webOrigin.test(origin),
  refusal: 'is not a web page origin',
  allowMethods: ALLOW_METHODS,
  allowHeaders: ALLOW_HEADERS,
});

/** `Authorization: Bearer abw_…` on /widget/v1/*: token, minting API token, origin, action. */
export const widgetAuth = createMiddleware<WidgetEnv>(async (c, next) => {
  const path = c.req.path.slice(WIDGET_API_PREFIX.length);
  const rule = widgetRuleFor(c.req.method, path);
  if (!rule) return sendError(c, new ApiError('not_found', `No widget route for ${c.req.method} ${c.req.path}`));

  const match = c.req.header('authorization')?.match(/^Bearer\s+(\S+)\s*$/i);
  if (!match) return sendError(c, new ApiError('unauthorized', 'Missing widget token: send "Authorization: Bearer <widget token>"'));
  const deps = c.get('deps');
  const read = readWidgetToken(widgetKeyOf(deps), match[1]!);
  if (!read.ok)
    return sendError(
      c,
      new ApiError(
        'unauthorized',
        read.reason === 'expired' ? `The widget token expired at ${read.expiredAt!.toISOString()}: the page must get a new one` : 'Invalid widget token',
      ),
    );
  const token = read.payload;

  // Revoking the API token that minted it revokes the widget token too.
  const [minter] = await deps.database.db
    .select({ name: apiTokens.name })
    .from(apiTokens)
    .where(and(eq(apiTokens.id, token.tid), eq(apiTokens.organizationId, token.org), isNull(apiTokens.revokedAt)));
  if (!minter) return sendError(c, new ApiError('unauthorized', 'The API token that issued this widget token was revoked'));

  const origin = c.req.header('origin');
  if (!origin || !token.origins.includes(origin)) return sendError(c, new ApiError('forbidden', `Origin ${origin ?? '(none)'} may not use this widget token`));
  if (rule.actions.length && !rule.actions.some((a) => token.actions.includes(a)))
    return sendError(c, new ApiError('forbidden', `This widget token does not allow ${c.req.method} ${path} (needs ${rule.actions.join(' or ')})`));

  c.set('organizationId', token.org);
  c.set('actor', `widget:${minter.name}@${origin}`);
  c.set('tokenName', `widget:${minter.name}`);
  c.set('widget', { ...token, origin });
  await next();
});
