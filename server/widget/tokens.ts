/**
 * Widget tokens: short-lived, signed, bound to an organization, the API token that minted
 * them, the embedding origins and the allowed actions.
 *
 * Signed (HMAC-SHA256), not stored: a widget call costs no token table lookup, a token works
 * on every API instance that shares ACCESSBRIDGE_SECRET_KEY, and nothing accumulates in the
 * database for tokens that expire within a day anyway. What a stored row would give —
 * revocation — comes from the binding to the minting API token: every call checks that token
 * is still active, so revoking it (admin CLI) revokes all its widget tokens at once.
 *
 * Format: `abw_<payload>.<signature>`, both base64url; the payload is JSON.
 */
import { createHmac, hkdfSync, randomUUID, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { widgetActionSchema, type WidgetAction } from '../../lib/contract.ts';

export const WIDGET_TOKEN_PREFIX = 'abw_';
const SIGNING_CONTEXT = 'accessbridge widget token v1';

const payloadSchema = z.object({
  v: z.literal(1),
  /** Organization */
  org: z.string().uuid(),
  /** The API token that minted it. */
  tid: z.string().uuid(),
  origins: z.array(z.string()).min(1),
  actions: z.array(widgetActionSchema).min(1),
  /** Issued at / expires at, seconds since the epoch. */
  iat: z.number().int(),
  exp: z.number().int(),
  jti: z.string().uuid(),
});
export type WidgetTokenPayload = z.infer<typeof payloadSchema>;

/** A key of its own, derived from the secret key: a signature never doubles as anything else. */
export function widgetSigningKey(secretKey: Buffer): Buffer {
  return Buffer.from(hkdfSync('sha256', secretKey, Buffer.alloc(0), SIGNING_CONTEXT, 32));
}

const sign = (key: Buffer, payload: string) => createHmac('sha256', key).update(`${SIGNING_CONTEXT}.${payload}`).digest();

export interface MintInput {
  organizationId: string;
  apiTokenId: string;
  origins: string[];
  actions: WidgetAction[];
  ttlSeconds: number;
  now?: Date;
}

export function mintWidgetToken(key: Buffer, input: MintInput): { token: string; payload: WidgetTokenPayload } {
  const iat = Math.floor((input.now ?? new Date()).getTime() / 1000);
  const payload: WidgetTokenPayload = {
    v: 1,
    org: input.organizationId,
    tid: input.apiTokenId,
    origins: input.origins,
    actions: input.actions,
    iat,
    exp: iat + input.ttlSeconds,
    jti: randomUUID(),
  };
  const body = Buffer.from(JSON.stringify(payload), 'utf8').toString('base64url');
  return { token: `${WIDGET_TOKEN_PREFIX}${body}.${sign(key, body).toString('base64url')}`, payload };
}

export type WidgetTokenCheck = { ok: true; payload: WidgetTokenPayload } | { ok: false; reason: 'malformed' | 'bad_signature' | 'expired'; expiredAt?: Date };

/** Signature and expiry only; the caller checks the minting token, the origin and the action. */
export function readWidgetToken(key: Buffer, token: string, now: Date = new Date()): WidgetTokenCheck {
  if (!token.startsWith(WIDGET_TOKEN_PREFIX)) return { ok: false, reason: 'malformed' };
  const [body, signature, extra] = token.slice(WIDGET_TOKEN_PREFIX.length).split('.');
  if (!body || !signature || extra !== undefined || !/^[\w-]+$/.test(body) || !/^[\w-]+$/.test(signature)) return { ok: false, reason: 'malformed' };
  const expected = sign(key, body);
  const given = Buffer.from(signature, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: 'bad_signature' };
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
  } catch {
    return { ok: false, reason: 'malformed' };
  }
  const parsed = payloadSchema.safeParse(json);
  if (!parsed.success) return { ok: false, reason: 'malformed' };
  if (parsed.data.exp * 1000 <= now.getTime()) return { ok: false, reason: 'expired', expiredAt: new Date(parsed.data.exp * 1000) };
  return { ok: true, payload: parsed.data };
}
