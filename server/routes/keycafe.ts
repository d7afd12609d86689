/**
 * Keycafe: test a location's Keycafe connection, list its keys and SmartBox locations (cached,
 * searchable, refreshable), and book visitor access to keys — one-time or ongoing, one key or
 * many — through the outbox, with per-key state, cancel and retry.
 */
import { createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
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
import { ApiError, notFound } from '../errors.ts';
import { findLocation } from '../resources.ts';
import { createRouter } from '../router.ts';
import { connectedClient, connectedLocations, ensureCatalog } from '../keycafe/accounts.ts';
import { cancelBooking, retryBooking } from '../keycafe/booking-changes.ts';
import { createBooking } from '../keycafe/booking-create.ts';
import { keycafeBookingFor, listKeycafeBookings } from '../keycafe/booking-list.ts';
import { cachedKeys, cachedLocations } from '../keycafe/catalog.ts';
import { keycafeContextOf } from '../keycafe/context.ts';
import { toApiError } from '../keycafe/errors.ts';
import { findUntrackedAccesses } from '../keycafe/sweep.ts';
import { testLocationConnection } from '../keycafe/test-location.ts';
import { actOnUntracked } from '../keycafe/untracked.ts';
import { bookingViewerOf } from '../keycafe/widget-scope.ts';
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

/** Who acts, and as whom the bookings are seen (a widget sees only its own: keycafe/widget-scope.ts). */
const actorOf = (c: Context<AppEnv>) => ({ organizationId: c.get('organizationId'), actor: c.get('actor'), viewer: bookingViewerOf(c) });

export const keycafeRouter = createRouter()
  .openapi(untrackedRoute, async (c) => {
    const ctx = keycafeContextOf(c.get('deps'));
    const { location, client } = await connectedClient(ctx, c.get('organizationId'), c.req.param('id')!, langOf(c));
    const items = await findUntrackedAccesses(ctx.db, client, c.get('organizationId'), location).catch((err) => {
      throw toApiError(err, langOf(c));
    });
    return c.json({ items }, 200);
  })
  .openapi(untrackedActionRoute, async (c) => {
    const ctx = keycafeContextOf(c.get('deps'));
    const { accessId } = c.req.valid('param');
    const { action } = c.req.valid('json');
    const { location, client } = await connectedClient(ctx, c.get('organizationId'), c.req.param('id')!, langOf(c));
    const done = await actOnUntracked(ctx, actorOf(c), { location, client, accessId }, action, langOf(c));
    return c.json({ done }, 200);
  })
  .openapi(testRoute, async (c) => {
    const ctx = keycafeContextOf(c.get('deps'));
    const { id } = c.req.valid('param');
    const location = await findLocation(ctx.db, c.get('organizationId'), id);
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
    return c.json(await testLocationConnection(ctx, actorOf(c), location, input, langOf(c)), 200);
  })
  .openapi(keysRoute, async (c) => {
    const { locationId, search, refresh, limit, offset } = c.req.valid('query');
    const ctx = keycafeContextOf(c.get('deps'));
    const organizationId = c.get('organizationId');
    const rows = await connectedLocations(ctx.db, organizationId, locationId, langOf(c));
    await ensureCatalog(ctx, organizationId, rows, refresh === true, 'keys', langOf(c));
    const all = await cachedKeys(ctx.db, organizationId, { locationIds: rows.map((r) => r.id), search });
    const items = all.slice(offset, offset + limit);
    return c.json({ items, total: all.length }, 200);
  })
  .openapi(locationsRoute, async (c) => {
    const { locationId, search, refresh } = c.req.valid('query');
    const ctx = keycafeContextOf(c.get('deps'));
    const organizationId = c.get('organizationId');
    const rows = await connectedLocations(ctx.db, organizationId, locationId, langOf(c));
    await ensureCatalog(ctx, organizationId, rows, refresh === true, 'locations', langOf(c));
    const items = await cachedLocations(ctx.db, organizationId, { locationIds: rows.map((r) => r.id), search });
    return c.json({ items, total: items.length }, 200);
  })
  .openapi(createBookingRoute, async (c) => {
    const requestKey = c.req.valid('header')['idempotency-key'] ?? null;
    const input = c.req.valid('json');
    const { booking, replayed } = await createBooking(keycafeContextOf(c.get('deps')), actorOf(c), input, requestKey, langOf(c));
    return replayed ? c.json(booking, 200) : c.json(booking, 201);
  })
  .openapi(listBookingsRoute, async (c) => {
    const query = c.req.valid('query');
    return c.json(await listKeycafeBookings(c.get('deps').database.db, c.get('organizationId'), bookingViewerOf(c), query), 200);
  })
  .openapi(getBookingRoute, async (c) => {
    const { id } = c.req.valid('param');
    const booking = await keycafeBookingFor(c.get('deps').database.db, c.get('organizationId'), bookingViewerOf(c), id);
    if (!booking) throw notFound('Keycafe booking');
    return c.json(booking, 200);
  })
  .openapi(cancelRoute, async (c) => {
    const { id } = c.req.valid('param');
    return c.json(await cancelBooking(keycafeContextOf(c.get('deps')), actorOf(c), id), 200);
  })
  .openapi(retryRoute, async (c) => {
    const { id } = c.req.valid('param');
    const booking = await retryBooking(keycafeContextOf(c.get('deps')), actorOf(c), id);
    if (!booking) throw new ApiError('conflict', translate(langOf(c), 'keycafe.booking.nothingToRetry'));
    return c.json(booking, 200);
  });
