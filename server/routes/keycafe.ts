/**
 * Keycafe: test a location's Keycafe connection, list its keys and SmartBox locations (cached,
 * searchable, refreshable), and book visitor access to keys — one-time or ongoing, one key or
 * many — through the outbox, with per-key state, cancel and retry.
 */
import { createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { and, count, desc, eq, exists, ilike, or, sql, type SQL } from 'drizzle-orm';
import {
  keycafeBookingInput,
  keycafeBookingSchema,
  keycafeConnectionTestInput,
  keycafeConnectionTestResult,
  keycafeKeySchema,
  keycafeLocationSchema,
  keycafeUntrackedAccessSchema,
  keycafeUntrackedActionInput,
  listOf,
} from '../../lib/contract.ts';
import { matchLanguage, translate, type Language } from '../../lib/i18n/index.ts';
import type { AppEnv } from '../env.ts';
import { recordAudit } from '../audit.ts';
import { keycafeAccesses, keycafeBookings, locations, outboxJobs } from '../db/schema/index.ts';
import { ApiError, notFound } from '../errors.ts';
import { retryJob } from '../outbox/outbox.ts';
import { findLocation, likePattern, pgErrorCode, type LocationRow } from '../resources.ts';
import { createRouter } from '../router.ts';
import { decryptSecret } from '../secrets.ts';
import {
  accessesOf,
  createIdempotencyKey,
  deleteIdempotencyKey,
  enqueueCreateAccess,
  enqueueDeleteAccess,
  loadBooking,
  refreshBookingState,
  scheduleKeySync,
  toKeycafeBooking,
} from '../keycafe/bookings.ts';
import { cachedKeys, cachedLocations, storeKeys, storeLocations, syncStateOf } from '../keycafe/catalog.ts';
import { keycafeAccountOf, keycafeServiceOf } from '../keycafe/connection.ts';
import { toApiError } from '../keycafe/errors.ts';
import { testKeycafeConnection } from '../keycafe/connection-test.ts';
import { findUntrackedAccesses } from '../keycafe/sweep.ts';
import { planBooking } from '../keycafe/plan.ts';
import { refreshCatalog } from '../keycafe/refresh.ts';
import { asSeenBy, bookingViewerOf, creatorTokenOf, mayChange } from '../keycafe/widget-scope.ts';
import { booleanQuery, errors, json, jsonBody, paging, uuidParam, ErrorBody } from './openapi.ts';

const tags = ['Keycafe'];
const KeycafeBooking = keycafeBookingSchema.openapi('KeycafeBooking');
const KeycafeKey = keycafeKeySchema.openapi('KeycafeKey');
const KeycafeLocation = keycafeLocationSchema.openapi('KeycafeLocation');

const providerErrors = {
  422: json(ErrorBody, 'Keycafe did not accept the stored account email and API token'),
  429: json(ErrorBody, 'Keycafe rate limit (60 requests a minute) reached; see Retry-After'),
  502: json(ErrorBody, 'Keycafe unreachable, timed out or answered an error'),
};

/** Re-reads the Keycafe cache when older than this (GET lists); `refresh=true` forces it. */
const CACHE_TTL_MS = 10 * 60_000;

const langOf = (c: Context<AppEnv>): Language => matchLanguage((c.req.header('accept-language') ?? '').split(',').map((s) => s.split(';')[0]!.trim()));

const testRoute = createRoute({
  method: 'post',
  path: '/v1/locations/{id}/keycafe/test',
  tags,
  summary: "Test the location's Keycafe connection (or credentials before saving them)",
  description:
    'Lists the keys of the account and their SmartBox (home) locations, and reports every Keycafe call it made (`calls`). Without a body the stored ' +
    'account email and secret are used (and the key cache is refreshed); `accountEmail` / `apiToken` / `authType` in the body test other credentials ' +
    'without storing anything. Without a known `authType` both Keycafe credentials are tried (API token, then API key) and the one that works is reported ' +
    '(and kept for a stored account). Limited per organization (429 with Retry-After).',
  request: {
    params: z.object({ id: uuidParam('id') }),
    body: { content: { 'application/json': { schema: keycafeConnectionTestInput.openapi('KeycafeConnectionTestInput') } }, required: false },
  },
  responses: { 200: json(keycafeConnectionTestResult.openapi('KeycafeConnectionTestResult'), 'The account answered'), ...errors(400, 401, 404), ...providerErrors },
});

const catalogQuery = {
  locationId: z.string().uuid('Not a valid UUID').optional().openapi({ description: 'Only this location’s Keycafe account (default: every connected location)' }),
  search: z.string().trim().max(200).optional().openapi({ description: 'Part of the name (keys: or serial number), case-insensitive' }),
  refresh: booleanQuery.optional().openapi({ description: '`true`: list Keycafe again first (else the cache, refreshed after 10 minutes)' }),
};

const keysRoute = createRoute({
  method: 'get',
  path: '/v1/keycafe/keys',
  tags,
  summary: 'Keys of the connected Keycafe accounts (cached), by name',
  request: { query: z.object({ ...catalogQuery, ...paging(1000, 200) }) },
  responses: { 200: json(listOf(KeycafeKey).openapi('KeycafeKeyList'), 'Keys and the total matching'), ...errors(400, 401, 404), ...providerErrors },
});

const locationsRoute = createRoute({
  method: 'get',
  path: '/v1/keycafe/locations',
  tags,
  summary: 'SmartBox locations of the connected Keycafe accounts (cached), with their time zones',
  request: { query: z.object(catalogQuery) },
  responses: { 200: json(listOf(KeycafeLocation).openapi('KeycafeLocationList'), 'SmartBox locations'), ...errors(400, 401, 404), ...providerErrors },
});

const createBookingRoute = createRoute({
  method: 'post',
  path: '/v1/keycafe/bookings',
  tags,
  summary: 'Give a visitor one-time or ongoing access to one or several keys',
  description:
    'Validates everything first (recipient email or mobile number with country code, keys, start/end in the SmartBox time zone), then answers 201 ' +
    'with the booking in state `pending`; each key’s Keycafe access is created by the outbox (retried on 429/5xx/timeouts) and shows its own state, ' +
    'booking code and check-in link. Send an `Idempotency-Key` header to make a replayed request return the first booking (200) instead of a second one.',
  request: {
    headers: z.object({ 'idempotency-key': z.string().trim().min(1).max(200).optional() }),
    ...jsonBody(keycafeBookingInput.openapi('KeycafeBookingInput')),
  },
  responses: {
    200: json(KeycafeBooking, 'Replay of an earlier request with the same Idempotency-Key'),
    201: json(KeycafeBooking, 'Booked; keys pending until Keycafe confirms each'),
    ...errors(400, 401, 413),
    ...providerErrors,
  },
});

const listBookingsRoute = createRoute({
  method: 'get',
  path: '/v1/keycafe/bookings',
  tags,
  summary: 'Keycafe bookings, newest first; filter by key, recipient, state, location',
  request: {
    query: z.object({
      keyId: z.string().trim().min(1).max(100).optional(),
      recipient: z.string().trim().min(1).max(254).optional().openapi({ description: 'Part of the email, or the mobile number (any format)' }),
      state: keycafeBookingSchema.shape.state.optional(),
      locationId: z.string().uuid('Not a valid UUID').optional(),
      ...paging(500, 50),
    }),
  },
  responses: { 200: json(listOf(KeycafeBooking).openapi('KeycafeBookingList'), 'A page of bookings and the total matching'), ...errors(400, 401) },
});

const bookingParams = z.object({ id: uuidParam('id') });

const getBookingRoute = createRoute({
  method: 'get',
  path: '/v1/keycafe/bookings/{id}',
  tags,
  summary: 'One Keycafe booking with the state of each key',
  request: { params: bookingParams },
  responses: { 200: json(KeycafeBooking, 'The booking'), ...errors(400, 401, 404) },
});

const cancelRoute = createRoute({
  method: 'post',
  path: '/v1/keycafe/bookings/{id}/cancel',
  tags,
  summary: 'Cancel a booking: every Keycafe access created for it is deleted (through the outbox)',
  description: 'Answers the booking in state `cancelling` (or `cancelled` when nothing reached Keycafe). Cancelling again answers the booking unchanged.',
  request: { params: bookingParams },
  responses: { 200: json(KeycafeBooking, 'The booking'), ...errors(400, 401, 404) },
});

const retryRoute = createRoute({
  method: 'post',
  path: '/v1/keycafe/bookings/{id}/retry',
  tags,
  summary: 'Retry the keys of a booking that failed (creating, or cancelling, their Keycafe access)',
  request: { params: bookingParams },
  responses: { 200: json(KeycafeBooking, 'The booking, failed keys pending again'), ...errors(400, 401, 404, 409) },
});

/** The organization's locations with a Keycafe account, or the one asked for (404 if not ours). */
const untrackedRoute = createRoute({
  method: 'get',
  path: '/v1/locations/{id}/keycafe/untracked',
  tags,
  summary: 'Keycafe accesses that match a booking (key, recipient, period) but that no booking tracks',
  description:
    'Left behind when Keycafe acted on a create after AccessBridge had given up waiting for its answer. One Keycafe call per key of the ' +
    "location's live bookings (at most 40). Adopt one into the booking, or cancel it on Keycafe, with the POST below.",
  request: { params: z.object({ id: uuidParam('id') }) },
  responses: { 200: json(z.object({ items: z.array(keycafeUntrackedAccessSchema.openapi('KeycafeUntrackedAccess')) }), 'Untracked accesses'), ...errors(400, 401, 404), ...providerErrors },
});

const untrackedActionRoute = createRoute({
  method: 'post',
  path: '/v1/locations/{id}/keycafe/untracked/{accessId}',
  tags,
  summary: 'Adopt an untracked Keycafe access into its booking, or cancel it on Keycafe',
  request: {
    params: z.object({ id: uuidParam('id'), accessId: z.string().regex(/^\d{1,20}$/, 'A Keycafe access ID') }),
    ...jsonBody(keycafeUntrackedActionInput.openapi('KeycafeUntrackedAction')),
  },
  responses: {
    200: json(z.object({ done: z.enum(['adopted', 'cancelled']) }), 'Done'),
    ...errors(400, 401, 404, 409),
    ...providerErrors,
  },
});

async function untrackedContext(c: Context<AppEnv>) {
  const deps = c.get('deps');
  const location = await findLocation(deps.database.db, c.get('organizationId'), c.req.param('id')!);
  if (!location) throw notFound('Location');
  const conn = keycafeAccountOf(deps, location);
  if (!conn.ok) throw new ApiError('validation_failed', translate(langOf(c), conn.reason === 'not_connected' ? 'keycafe.location.notConnected' : 'keycafe.location.noToken'));
  return { location, client: keycafeServiceOf(deps).client(conn.account, 'route') };
}

async function connectedLocations(c: Context<AppEnv>, locationId: string | undefined): Promise<LocationRow[]> {
  const { db } = c.get('deps').database;
  const organizationId = c.get('organizationId');
  if (locationId) {
    const row = await findLocation(db, organizationId, locationId);
    if (!row) throw notFound('Location');
    if (!row.keycafe) throw new ApiError('validation_failed', translate(langOf(c), 'keycafe.location.notConnected'), [{ path: 'locationId', message: translate(langOf(c), 'keycafe.location.notConnected') }]);
    return [row];
  }
  const rows = await db.select().from(locations).where(eq(locations.organizationId, organizationId));
  return rows.filter((r) => r.keycafe);
}

/** Refreshes the cache of each location that asks for it (forced, never synced, or older than the TTL). */
async function ensureCatalog(c: Context<AppEnv>, rows: LocationRow[], force: boolean, what: 'keys' | 'locations') {
  const deps = c.get('deps');
  for (const location of rows) {
    const scope = { organizationId: c.get('organizationId'), locationId: location.id, accountEmail: location.keycafe!.accountEmail };
    const state = await syncStateOf(deps.database.db, scope);
    const at = what === 'keys' ? state?.keysSyncedAt : state?.locationsSyncedAt;
    if (!force && at && Date.now() - at.getTime() < CACHE_TTL_MS) continue;
    const conn = keycafeAccountOf(deps, location);
    // Without a token only the cache can answer (a single-location request says why).
    if (!conn.ok) {
      if (rows.length === 1) throw new ApiError('validation_failed', translate(langOf(c), 'keycafe.location.noToken'), [{ path: 'locationId', message: translate(langOf(c), 'keycafe.location.noToken') }]);
      continue;
    }
    await refreshCatalog(deps, conn.account, scope, { keys: what === 'keys' || !state?.keysSyncedAt, locations: true }, langOf(c));
  }
}

export const keycafeRouter = createRouter()
  .openapi(untrackedRoute, async (c) => {
    const { location, client } = await untrackedContext(c);
    const items = await findUntrackedAccesses(c.get('deps'), client, c.get('organizationId'), location).catch((err) => {
      throw toApiError(err, langOf(c));
    });
    return c.json({ items }, 200);
  })
  .openapi(untrackedActionRoute, async (c) => {
    const deps = c.get('deps');
    const organizationId = c.get('organizationId');
    const { accessId } = c.req.valid('param');
    const { action } = c.req.valid('json');
    const { location, client } = await untrackedContext(c);
    let item;
    try {
      // Checked again now: only an access that still matches a booking and is still untracked.
      item = (await findUntrackedAccesses(deps, client, organizationId, location)).find((i) => i.keycafeAccessId === accessId);
    } catch (err) {
      throw toApiError(err, langOf(c));
    }
    if (!item) throw notFound('Untracked Keycafe access');
    const audit = (tx: Parameters<typeof recordAudit>[0], what: string, after: Record<string, unknown>) =>
      recordAudit(tx, { organizationId, actor: c.get('actor'), action: what, entity: 'keycafe_booking', entityId: item.bookingId, after: { keyId: item.keyId, keycafeAccessId: accessId, ...after } });
    if (action === 'cancel') {
      try {
        await client.deleteAccess(accessId);
      } catch (err) {
        throw toApiError(err, langOf(c));
      }
      await deps.database.db.transaction((tx) => audit(tx, 'keycafe.access.untracked_cancelled', {}));
      return c.json({ done: 'cancelled' as const }, 200);
    }
    if (!item.adoptable) throw new ApiError('conflict', 'This key of the booking already has a Keycafe access (or is being created); cancel the untracked one instead');
    await deps.database.db.transaction(async (tx) => {
      const updated = await tx
        .update(keycafeAccesses)
        .set({ keycafeAccessId: accessId, bookingCode: item.bookingCode, state: 'active', reason: null, updatedAt: new Date() })
        .where(
          and(
            eq(keycafeAccesses.organizationId, organizationId),
            eq(keycafeAccesses.bookingId, item.bookingId),
            eq(keycafeAccesses.keyId, item.keyId),
            eq(keycafeAccesses.state, 'failed'),
            sql`${keycafeAccesses.keycafeAccessId} is null`,
          ),
        )
        .returning({ id: keycafeAccesses.id });
      if (updated.length === 0) throw new ApiError('conflict', 'This key of the booking changed meanwhile; look again');
      await audit(tx, 'keycafe.access.adopted', { state: 'active' });
      await refreshBookingState(tx, organizationId, item.bookingId);
    });
    return c.json({ done: 'adopted' as const }, 200);
  })
  .openapi(testRoute, async (c) => {
    const deps = c.get('deps');
    const lang = langOf(c);
    const organizationId = c.get('organizationId');
    const { id } = c.req.valid('param');
    const location = await findLocation(deps.database.db, organizationId, id);
    if (!location) throw notFound('Location');
    // The body is optional (test the stored account), so it is read here rather than required.
    const raw = await c.req.text();
    let body: unknown = {};
    try {
      if (raw.trim()) body = JSON.parse(raw);
    } catch {
      throw new ApiError('bad_request', 'Malformed JSON in request body');
    }
    const input = keycafeConnectionTestInput.parse(body);
    const email = input.accountEmail ?? location.keycafe?.accountEmail;
    const token = input.apiToken ?? (location.keycafeToken ? decryptSecret(deps.secretKey, location.keycafeToken) : undefined);
    const missing = [
      !email && { path: 'keycafe.accountEmail', message: translate(lang, 'keycafe.location.notConnected') },
      !token && { path: 'keycafe.apiToken', message: translate(lang, 'keycafe.location.noToken') },
    ].filter((f): f is { path: string; message: string } => Boolean(f));
    if (missing.length) throw new ApiError('validation_failed', missing[0]!.message, missing);
    // The stored credential type applies only to the stored secret; new credentials say theirs or try both.
    const usingStored = input.apiToken === undefined && location.keycafe && email === location.keycafe.accountEmail;
    const authType = input.authType ?? (usingStored ? location.keycafe!.authType : undefined);
    const outcome = await testKeycafeConnection(keycafeServiceOf(deps), organizationId, { email: email!, secret: token!, authType }, lang);
    // Only the stored account's lists belong in its cache.
    if (usingStored) {
      const scope = { organizationId, locationId: location.id, accountEmail: email! };
      await deps.database.db.transaction(async (tx) => {
        await storeLocations(tx, scope, outcome.locations);
        await storeKeys(tx, scope, outcome.keys, c.get('actor'));
        // Keep the credential type that worked, so jobs send it.
        if (location.keycafe!.authType !== outcome.authType)
          await tx
            .update(locations)
            .set({ keycafe: { accountEmail: location.keycafe!.accountEmail, authType: outcome.authType }, updatedAt: new Date() })
            .where(and(eq(locations.organizationId, organizationId), eq(locations.id, location.id)));
      });
    }
    return c.json(
      {
        ok: true as const,
        accountEmail: email!,
        keys: outcome.keys.length,
        locations: outcome.locations.length,
        authType: outcome.authType,
        calls: outcome.calls,
        skipped: outcome.skipped,
      },
      200,
    );
  })
  .openapi(keysRoute, async (c) => {
    const { locationId, search, refresh, limit, offset } = c.req.valid('query');
    const rows = await connectedLocations(c, locationId);
    await ensureCatalog(c, rows, refresh === true, 'keys');
    const all = await cachedKeys(c.get('deps').database.db, c.get('organizationId'), { locationIds: rows.map((r) => r.id), search });
    const items = all.slice(offset, offset + limit);
    return c.json({ items, total: all.length }, 200);
  })
  .openapi(locationsRoute, async (c) => {
    const { locationId, search, refresh } = c.req.valid('query');
    const rows = await connectedLocations(c, locationId);
    await ensureCatalog(c, rows, refresh === true, 'locations');
    const items = await cachedLocations(c.get('deps').database.db, c.get('organizationId'), { locationIds: rows.map((r) => r.id), search });
    return c.json({ items, total: items.length }, 200);
  })
  .openapi(createBookingRoute, async (c) => {
    const deps = c.get('deps');
    const { db } = deps.database;
    const organizationId = c.get('organizationId');
    const requestKey = c.req.valid('header')['idempotency-key'] ?? null;
    const input = c.req.valid('json');
    const viewer = bookingViewerOf(c);

    const replay = async () => {
      if (!requestKey) return null;
      const [row] = await db
        .select({ id: keycafeBookings.id, widgetTokenId: keycafeBookings.widgetTokenId })
        .from(keycafeBookings)
        .where(and(eq(keycafeBookings.organizationId, organizationId), eq(keycafeBookings.requestKey, requestKey)));
      if (!row) return null;
      // Another widget's key (or an API client's) must not hand its booking, codes included, to this widget.
      if (!mayChange(viewer, row)) throw new ApiError('conflict', 'This Idempotency-Key was already used for another booking: send a new one');
      return loadBooking(db, organizationId, row.id);
    };
    const earlier = await replay();
    if (earlier) return c.json(earlier, 200);

    const plan = await planBooking(deps, organizationId, input, langOf(c));
    let booking;
    try {
      booking = await db.transaction(async (tx) => {
        const [row] = await tx
          .insert(keycafeBookings)
          .values({
            organizationId,
            locationId: plan.location.id,
            type: input.type,
            allKeys: input.allKeys,
            recipientEmail: plan.recipient.email,
            recipientMobile: plan.recipient.mobile,
            locale: input.locale,
            name: input.name || null,
            timeZone: plan.timeZone,
            startLocal: plan.startLocal,
            endLocal: plan.endLocal,
            startsAt: plan.startsAt,
            endsAt: plan.endsAt,
            returnReminder: input.returnReminder,
            reminder: plan.reminder,
            requireVisitorId: input.requireVisitorId,
            visitors: input.visitors,
            photoVerification: input.photoVerification,
            state: plan.keys.length ? 'pending' : 'active',
            createdBy: c.get('actor'),
            requestKey,
            widgetTokenId: creatorTokenOf(viewer),
          })
          .returning();
        const accesses = plan.keys.length
          ? await tx
              .insert(keycafeAccesses)
              .values(plan.keys.map((k) => ({ organizationId, bookingId: row!.id, keyId: k.id, keyName: k.name })))
              .returning()
          : [];
        for (const a of accesses) await enqueueCreateAccess(tx, a);
        if (input.allKeys) {
          const s = keycafeServiceOf(deps);
          await scheduleKeySync(tx, organizationId, plan.location.id, new Date(Date.now() + s.clock.toRealMs(s.keySyncIntervalMs)));
        }
        const resource = toKeycafeBooking(row!, accesses);
        await recordAudit(tx, { organizationId, actor: c.get('actor'), action: 'keycafe.booking.created', entity: 'keycafe_booking', entityId: row!.id, after: resource });
        return resource;
      });
    } catch (err) {
      // Two replays raced: the other one stored the booking first.
      if (pgErrorCode(err) === '23505' && requestKey) {
        const other = await replay();
        if (other) return c.json(other, 200);
      }
      throw err;
    }
    deps.kickOutbox?.();
    return c.json(booking, 201);
  })
  .openapi(listBookingsRoute, async (c) => {
    const { keyId, recipient, state, locationId, limit, offset } = c.req.valid('query');
    const { db } = c.get('deps').database;
    const organizationId = c.get('organizationId');
    const where: SQL[] = [eq(keycafeBookings.organizationId, organizationId)];
    if (state) where.push(eq(keycafeBookings.state, state));
    if (locationId) where.push(eq(keycafeBookings.locationId, locationId));
    if (keyId)
      where.push(
        exists(
          db
            .select({ one: sql`1` })
            .from(keycafeAccesses)
            .where(and(eq(keycafeAccesses.bookingId, keycafeBookings.id), eq(keycafeAccesses.keyId, keyId))),
        ),
      );
    if (recipient) {
      const digits = recipient.replace(/\D/g, '');
      const byMobile = digits.length >= 4 ? sql`${keycafeBookings.recipientMobile} like ${likePattern(digits)}` : sql`false`;
      where.push(or(ilike(keycafeBookings.recipientEmail, likePattern(recipient.toLowerCase())), byMobile)!);
    }
    const [{ total }] = (await db.select({ total: count() }).from(keycafeBookings).where(and(...where))) as [{ total: number }];
    const rows = await db
      .select()
      .from(keycafeBookings)
      .where(and(...where))
      .orderBy(desc(keycafeBookings.createdAt), desc(keycafeBookings.id))
      .limit(limit)
      .offset(offset);
    const accesses = await accessesOf(db, organizationId, rows.map((r) => r.id));
    // Only callers that may read others' bookings reach this route (server/widget/scopes.ts); the codes stay with their maker.
    const viewer = bookingViewerOf(c);
    const items = rows.flatMap((r) => asSeenBy(viewer, r, toKeycafeBooking(r, accesses.filter((a) => a.bookingId === r.id))) ?? []);
    return c.json({ items, total: Number(total) }, 200);
  })
  .openapi(getBookingRoute, async (c) => {
    const { db } = c.get('deps').database;
    const organizationId = c.get('organizationId');
    const { id } = c.req.valid('param');
    const [row] = await db.select().from(keycafeBookings).where(and(eq(keycafeBookings.organizationId, organizationId), eq(keycafeBookings.id, id)));
    const booking = row ? asSeenBy(bookingViewerOf(c), row, toKeycafeBooking(row, await accessesOf(db, organizationId, [id]))) : null;
    if (!booking) throw notFound('Keycafe booking');
    return c.json(booking, 200);
  })
  .openapi(cancelRoute, async (c) => {
    const deps = c.get('deps');
    const viewer = bookingViewerOf(c);
    const organizationId = c.get('organizationId');
    const { id } = c.req.valid('param');
    const result = await deps.database.db.transaction(async (tx) => {
      const [row] = await tx
        .select()
        .from(keycafeBookings)
        .where(and(eq(keycafeBookings.organizationId, organizationId), eq(keycafeBookings.id, id)))
        .for('update');
      if (!row || !mayChange(viewer, row)) throw notFound('Keycafe booking');
      const accesses = await tx
        .select()
        .from(keycafeAccesses)
        .where(and(eq(keycafeAccesses.organizationId, organizationId), eq(keycafeAccesses.bookingId, id)))
        .for('update');
      const before = toKeycafeBooking(row, accesses);
      if (row.cancelRequestedAt) return { booking: before, changed: false };
      await tx.update(keycafeBookings).set({ cancelRequestedAt: new Date(), updatedAt: new Date() }).where(eq(keycafeBookings.id, id));
      for (const a of accesses) {
        // Pending: the create job sees `desired` and stops (or undoes what it created).
        // Active, or failed after a create was sent: delete on Keycafe. Never sent: nothing to undo.
        const mayExist = a.state === 'active' || (a.state === 'failed' && (a.keycafeAccessId !== null || a.createSentAt !== null));
        const state = a.state === 'pending' || mayExist ? 'cancelling' : 'cancelled';
        await tx.update(keycafeAccesses).set({ desired: 'cancelled', state, updatedAt: new Date() }).where(eq(keycafeAccesses.id, a.id));
        if (mayExist) await enqueueDeleteAccess(tx, a);
      }
      await refreshBookingState(tx, organizationId, id);
      const after = (await loadBooking(tx, organizationId, id))!;
      await recordAudit(tx, { organizationId, actor: c.get('actor'), action: 'keycafe.booking.cancel_requested', entity: 'keycafe_booking', entityId: id, before, after });
      return { booking: after, changed: true };
    });
    if (result.changed) deps.kickOutbox?.();
    return c.json(result.booking, 200);
  })
  .openapi(retryRoute, async (c) => {
    const deps = c.get('deps');
    const viewer = bookingViewerOf(c);
    const organizationId = c.get('organizationId');
    const { id } = c.req.valid('param');
    const booking = await deps.database.db.transaction(async (tx) => {
      const [row] = await tx
        .select()
        .from(keycafeBookings)
        .where(and(eq(keycafeBookings.organizationId, organizationId), eq(keycafeBookings.id, id)))
        .for('update');
      if (!row || !mayChange(viewer, row)) throw notFound('Keycafe booking');
      const failed = await tx
        .select()
        .from(keycafeAccesses)
        .where(and(eq(keycafeAccesses.organizationId, organizationId), eq(keycafeAccesses.bookingId, id), eq(keycafeAccesses.state, 'failed')))
        .for('update');
      if (failed.length === 0) throw new ApiError('conflict', translate(langOf(c), 'keycafe.booking.nothingToRetry'));
      const before = (await loadBooking(tx, organizationId, id))!;
      for (const a of failed) {
        const cancelling = a.desired === 'cancelled';
        const key = cancelling ? deleteIdempotencyKey(a.id) : createIdempotencyKey(a.id);
        const [job] = await tx
          .select({ id: outboxJobs.id })
          .from(outboxJobs)
          .where(and(eq(outboxJobs.organizationId, organizationId), eq(outboxJobs.idempotencyKey, key)));
        await tx.update(keycafeAccesses).set({ state: cancelling ? 'cancelling' : 'pending', reason: null, updatedAt: new Date() }).where(eq(keycafeAccesses.id, a.id));
        if (!job || !(await retryJob(tx, organizationId, job.id))) await (cancelling ? enqueueDeleteAccess(tx, a) : enqueueCreateAccess(tx, a));
      }
      await refreshBookingState(tx, organizationId, id);
      const after = (await loadBooking(tx, organizationId, id))!;
      await recordAudit(tx, { organizationId, actor: c.get('actor'), action: 'keycafe.booking.retried', entity: 'keycafe_booking', entityId: id, before, after });
      return after;
    });
    deps.kickOutbox?.();
    return c.json(booking, 200);
  });
