/**
 * CORS for the browser extension (chrome-extension://, moz-extension://) and the widget's
 * embedding pages listed in ACCESSBRIDGE_CORS_ORIGINS. Any other origin gets no CORS header
 * at all, so browsers refuse to hand it the response.
 */
import type { Context } from 'hono';
import { createMiddleware } from 'hono/factory';
import { ApiError, sendError } from './errors.ts';
import type { AppEnv } from './env.ts';

// Chrome/Edge extension ids are 32 letters a–p; Firefox uses a per-install UUID.
const extensionOrigin = /^(chrome-extension:\/\/[a-p]{32}|moz-extension:\/\/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/;

const ALLOW_METHODS = 'GET,HEAD,POST,PUT,PATCH,DELETE';
const ALLOW_HEADERS = 'Authorization,Content-Type,Idempotency-Key';
const EXPOSE_HEADERS = 'Retry-After';

/** `https://a.example/ , https://b.example` → exact origins (scheme://host[:port]). */
export function parseCorsOrigins(value: string | undefined): string[] {
  if (!value) return [];
  return value
    .split(',')
    .map((o) => o.trim().replace(/\/+$/, ''))
    .filter(Boolean)
    .map((o) => {
      let url: URL;
      try {
        url = new URL(o);
      } catch {
        throw new Error(`ACCESSBRIDGE_CORS_ORIGINS: "${o}" is not an origin like https://manager.example.com`);
      }
      if (url.origin !== o) throw new Error(`ACCESSBRIDGE_CORS_ORIGINS: "${o}" must be only scheme://host[:port], e.g. ${url.origin}`);
      return o;
    });
}

export function isAllowedOrigin(origin: string, configured: readonly string[]): boolean {
  return extensionOrigin.test(origin) || configured.includes(origin);
}

export interface CorsPolicy {
  /** Whether this origin may call; a refused preflight answers 403 with `refusal`. */
  allows(origin: string, c: Context<AppEnv>): boolean;
  refusal: string;
  allowMethods: string;
  allowHeaders: string;
}

/** Preflight answers and response headers for the origins a policy allows; others get none. */
export function cors(policy: CorsPolicy) {
  return createMiddleware<AppEnv>(async (c, next) => {
    const origin = c.req.header('origin');
    const allowed = origin !== undefined && policy.allows(origin, c);
    if (c.req.method === 'OPTIONS' && c.req.header('access-control-request-method')) {
      if (!allowed) return sendError(c, new ApiError('forbidden', `Origin ${origin ?? '(none)'} ${policy.refusal}`));
      c.header('Access-Control-Allow-Origin', origin);
      c.header('Access-Control-Allow-Methods', policy.allowMethods);
      c.header('Access-Control-Allow-Headers', policy.allowHeaders);
      c.header('Access-Control-Max-Age', '600');
      c.header('Vary', 'Origin');
      return c.body(null, 204);
    }
    await next();
    c.res.headers.append('Vary', 'Origin');
    if (allowed) {
      c.res.headers.set('Access-Control-Allow-Origin', origin);
      c.res.headers.set('Access-Control-Expose-Headers', EXPOSE_HEADERS);
    }
  });
}

export const corsMiddleware = cors({
  allows: (origin, c) => isAllowedOrigin(origin, c.get('deps').corsOrigins ?? []),
  refusal: 'is not allowed',
  allowMethods: ALLOW_METHODS,
  allowHeaders: ALLOW_HEADERS,
});
