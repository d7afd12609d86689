/**
 * Organizations and their API tokens. A token is `ab_` + 32 random bytes (base64url); only its
 * SHA-256 is stored, so the token is shown once, when it is created, and never again.
 */
import { createHash, randomBytes } from 'node:crypto';
import { and, asc, eq, isNull, sql, type Placeholder } from 'drizzle-orm';
import { createMiddleware } from 'hono/factory';
import type { DbOrTx } from './outbox/outbox.ts';
import type { Database } from './db/client.ts';
import { apiTokens, organizations } from './db/schema/index.ts';
import { prepared } from './db/prepared.ts';
import { cachedRead } from './db/read-cache.ts';
import { ApiError, sendError } from './errors.ts';
import type { AppEnv } from './env.ts';

export const TOKEN_PREFIX = 'ab_';

export const hashToken = (token: string) => createHash('sha256').update(token, 'utf8').digest('hex');

export type OrganizationRow = typeof organizations.$inferSelect;
export type ApiTokenRow = typeof apiTokens.$inferSelect;

export async function createOrganization(db: DbOrTx, name: string): Promise<OrganizationRow> {
  const trimmed = name.trim();
  if (!trimmed) throw new Error('Organization name must not be empty');
  const [org] = await db.insert(organizations).values({ name: trimmed }).returning();
  return org!;
}

export async function listOrganizations(db: DbOrTx): Promise<OrganizationRow[]> {
  return db.select().from(organizations).orderBy(asc(organizations.createdAt), asc(organizations.id));
}

/** Returns the token in clear text: the caller shows it once; only its hash is kept. */
export async function createApiToken(db: DbOrTx, orgId: string, name: string): Promise<{ id: string; token: string }> {
  const trimmed = name.trim();
  if (!trimmed) throw new Error('Token name must not be empty');
  const token = TOKEN_PREFIX + randomBytes(32).toString('base64url');
  const [row] = await db
    .insert(apiTokens)
    .values({ organizationId: orgId, name: trimmed, tokenHash: hashToken(token) })
    .returning({ id: apiTokens.id });
  return { id: row!.id, token };
}

/** Token metadata (never the hash) for the admin CLI. */
export async function listApiTokens(db: DbOrTx, orgId: string) {
  return db
    .select({ id: apiTokens.id, name: apiTokens.name, createdAt: apiTokens.createdAt, lastUsedAt: apiTokens.lastUsedAt, revokedAt: apiTokens.revokedAt })
    .from(apiTokens)
    .where(eq(apiTokens.organizationId, orgId))
    .orderBy(asc(apiTokens.createdAt), asc(apiTokens.id));
}

/** True when the token existed and was active; revoking twice is a no-op that returns false. */
export async function revokeApiToken(db: DbOrTx, tokenId: string): Promise<boolean> {
  const rows = await db
    .update(apiTokens)
    .set({ revokedAt: new Date() })
    .where(and(eq(apiTokens.id, tokenId), isNull(apiTokens.revokedAt)))
    .returning({ id: apiTokens.id });
  return rows.length > 0;
}

/** The active token with this hash (a value, or a placeholder in a prepared statement). */
const activeToken = (db: DbOrTx, hash: string | Placeholder) =>
  db
    .select({ id: apiTokens.id, organizationId: apiTokens.organizationId, name: apiTokens.name, lastUsedAt: apiTokens.lastUsedAt })
    .from(apiTokens)
    .where(and(eq(apiTokens.tokenHash, hash), isNull(apiTokens.revokedAt)));

/** The active token's identity, or null for an unknown or revoked token. */
export async function verifyApiToken(db: DbOrTx, token: string) {
  const [row] = await activeToken(db, hashToken(token));
  return row ?? null;
}

const LAST_USED_RESOLUTION_MS = 60_000;

/**
 * How long a token check is reused. A revocation (or any other write) made by this process is
 * seen by the next request at once (server/db/read-cache.ts), one made by another process on
 * the same PostgreSQL (the admin CLI, a second API process) as soon as its notification arrives
 * (server/db/write-listener.ts), and within this time if the listening connection is down.
 * PGlite has no other process.
 */
export const TOKEN_CACHE_MS = 5_000;

/** verifyApiToken, reused for up to TOKEN_CACHE_MS (one query saved on nearly every request). */
export function verifyApiTokenCached(database: Database, token: string) {
  const hash = hashToken(token);
  // A token row changes with its own table, or goes with its organization (ON DELETE CASCADE).
  return cachedRead(database, `token:${hash}`, { maxAgeMs: TOKEN_CACHE_MS, tables: ['api_tokens', 'organizations'] }, async () => {
    const query = prepared(database, 'api_token_by_hash', (db, name) => activeToken(db, sql.placeholder('hash')).prepare(name));
    const [row] = await query.execute({ hash });
    return row ?? null;
  });
}

/**
 * `Authorization: Bearer <token>` → c.get('organizationId'), c.get('actor') = `token:<name>`.
 * Every /v1 query filters by that organization id; a missing, unknown or revoked token is 401.
 */
export const requireApiToken = createMiddleware<AppEnv>(async (c, next) => {
  const header = c.req.header('authorization');
  c.header('WWW-Authenticate', 'Bearer');
  const match = header?.match(/^Bearer\s+(\S+)\s*$/i);
  if (!match) return sendError(c, new ApiError('unauthorized', 'Missing API token: send "Authorization: Bearer <token>"'));
  const { database } = c.get('deps');
  const found = await verifyApiTokenCached(database, match[1]!);
  if (!found) return sendError(c, new ApiError('unauthorized', 'Invalid or revoked API token'));
  // Written at most once a minute per token: a write on every request would be wasted I/O.
  if (!found.lastUsedAt || Date.now() - found.lastUsedAt.getTime() > LAST_USED_RESOLUTION_MS)
    await database.db.update(apiTokens).set({ lastUsedAt: new Date() }).where(eq(apiTokens.id, found.id));
  c.res.headers.delete('WWW-Authenticate');
  c.set('organizationId', found.organizationId);
  c.set('actor', `token:${found.name}`);
  c.set('tokenName', found.name);
  await next();
});
