/**
 * The organization's locations connected to Keycafe, as the key and SmartBox lists and the
 * untracked-access sweep need them: one location (404 when not ours, a field error when not
 * connected) or all connected ones, with the cached catalog refreshed when it is too old.
 */
import { eq } from 'drizzle-orm';
import { translate, type Language } from '../../lib/i18n/index.ts';
import type { Db } from '../db/client.ts';
import { locations } from '../db/schema/index.ts';
import { ApiError, notFound } from '../errors.ts';
import { findLocation, type LocationRow } from '../resources.ts';
import { syncStateOf } from './catalog.ts';
import type { KeycafeClient } from './client.ts';
import { keycafeAccountOf } from './connection.ts';
import type { KeycafeContext } from './context.ts';
import { refreshCatalog } from './refresh.ts';

/** Re-reads the Keycafe cache when older than this (GET lists); `refresh=true` forces it. */
const CACHE_TTL_MS = 10 * 60_000;

/** The organization's locations with a Keycafe account, or the one asked for (404 if not ours). */
export async function connectedLocations(db: Db, organizationId: string, locationId: string | undefined, lang: Language): Promise<LocationRow[]> {
  if (locationId) {
    const row = await findLocation(db, organizationId, locationId);
    if (!row) throw notFound('Location');
    if (!row.keycafe) throw new ApiError('validation_failed', translate(lang, 'keycafe.location.notConnected'), [{ path: 'locationId', message: translate(lang, 'keycafe.location.notConnected') }]);
    return [row];
  }
  const rows = await db.select().from(locations).where(eq(locations.organizationId, organizationId));
  return rows.filter((r) => r.keycafe);
}

/** Refreshes the cache of each location that asks for it (forced, never synced, or older than the TTL). */
export async function ensureCatalog(ctx: KeycafeContext, organizationId: string, rows: LocationRow[], force: boolean, what: 'keys' | 'locations', lang: Language) {
  for (const location of rows) {
    const scope = { organizationId, locationId: location.id, accountEmail: location.keycafe!.accountEmail };
    const state = await syncStateOf(ctx.db, scope);
    const at = what === 'keys' ? state?.keysSyncedAt : state?.locationsSyncedAt;
    if (!force && at && Date.now() - at.getTime() < CACHE_TTL_MS) continue;
    const conn = keycafeAccountOf(ctx, location);
    // Without a token only the cache can answer (a single-location request says why).
    if (!conn.ok) {
      if (rows.length === 1) throw new ApiError('validation_failed', translate(lang, 'keycafe.location.noToken'), [{ path: 'locationId', message: translate(lang, 'keycafe.location.noToken') }]);
      continue;
    }
    await refreshCatalog(ctx, conn.account, scope, { keys: what === 'keys' || !state?.keysSyncedAt, locations: true }, lang);
  }
}

/** One of the organization's locations and a client for its Keycafe account (the route's budget). */
export async function connectedClient(ctx: KeycafeContext, organizationId: string, locationId: string, lang: Language): Promise<{ location: LocationRow; client: KeycafeClient }> {
  const location = await findLocation(ctx.db, organizationId, locationId);
  if (!location) throw notFound('Location');
  const conn = keycafeAccountOf(ctx, location);
  if (!conn.ok) throw new ApiError('validation_failed', translate(lang, conn.reason === 'not_connected' ? 'keycafe.location.notConnected' : 'keycafe.location.noToken'));
  return { location, client: ctx.keycafe.client(conn.account, 'route') };
}
