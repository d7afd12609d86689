/**
 * Bookings pushed by the manager side, each with its Tapkey access: upsert, list, detail (grant
 * state, history, notices, next trigger), revoke/restore, and the "access ready" notices. Every
 * change re-evaluates the booking's access in the same transaction (server/tapkey/grants.ts).
 */
import { createRoute, z } from '@hono/zod-openapi';
import { identifierSchema } from '../../lib/identifiers.ts';
import { and, asc, count, desc, eq, ilike, inArray, isNull, lt, or, sql, type SQL } from 'drizzle-orm';
import type { Context } from 'hono';
import {
  accessNoticeSchema,
  bookingBatchInput,
  bookingDetailSchema,
  bookingInput,
  bookingIntakeResultSchema,
  bookingPatchInput,
  bookingSchema,
  bookingStateSchema,
  grantStateSchema,
  listOf,
} from '../../lib/contract.ts';
import { languages, matchLanguage, type Language } from '../../lib/i18n/index.ts';
import type { AppEnv } from '../env.ts';
import { recordAudit } from '../audit.ts';
import { restoreBooking, setAccessRevoked } from '../bookings/access.ts';
import { staleBefore, staleDaysOf } from '../bookings/stale.ts';
import { writeBookings, type BookingWrite, type WritePlan } from '../bookings/write.ts';
import { bookings, locations, tapkeyGrantEvents, tapkeyGrants, tapkeyNotices, tapkeyTriggers, units } from '../db/schema/index.ts';
import { ApiError } from '../errors.ts';
import { likePattern } from '../resources.ts';
import { createRouter } from '../router.ts';
import { tapkeySettings, tapkeyNow } from '../tapkey/config.ts';
import { loadFacts } from '../tapkey/grants.ts';
import { toBooking, toNotice } from '../tapkey/views.ts';
import { authErrors, errors, json, jsonBody, openapi, paging } from './openapi.ts';

const tags = ['Bookings & Tapkey access'];

const Booking = openapi(bookingSchema, 'Booking');
const BookingDetail = openapi(bookingDetailSchema, 'BookingDetail');
const AccessNotice = openapi(accessNoticeSchema, 'AccessNotice');

const externalIdParam = identifierSchema(200).openapi({ param: { name: 'externalId', in: 'path' }, example: 'B5000', description: "The manager's booking id" });
const params = z.object({ externalId: externalIdParam });
const langQuery = { lang: z.enum(['en', 'de', 'fr']).optional().openapi({ description: 'Language of the texts (default: Accept-Language)' }) };

/** `?lang=` wins over Accept-Language. */
export function requestLanguage(c: Context<AppEnv>): Language {
  const lang = c.req.query('lang');
  if (lang && (languages as readonly string[]).includes(lang)) return lang as Language;
  return matchLanguage((c.req.header('accept-language') ?? '').split(',').map((s) => s.split(';')[0]!.trim()));
}

const put = createRoute({
  method: 'put',
  path: '/v1/bookings/{externalId}',
  tags,
  summary: 'Create or replace a booking (its Tapkey access follows)',
  description:
    'A full replace: `state` is required (omitted optional fields become empty; to change some fields, use PATCH). ' +
    'The unit is referenced by its external id and must exist. 201 when created, 200 when updated or unchanged. ' +
    'An ended or cancelled booking is not made reserved or active again by a PUT (409): use POST /v1/bookings/{externalId}/restore. ' +
    'Omitting `syncEnabled` keeps the stored override (null: the location mode decides: full, every booking; gradual, bookings made after the connection, by `bookedAt` when sent). ' +
    'For a mapped unit of a Tapkey-connected location the API then ensures exactly one Tapkey grant for the tenant email ' +
    'on the unit lock, valid from move-in to move-out (created at once, or when move-in is reached, per the location triggers); ' +
    'an ended or cancelled booking has its grant revoked; a moved booking has it moved.',
  request: { params, query: z.object(langQuery), ...jsonBody(openapi(bookingInput, 'BookingInput')) },
  responses: { 200: json(Booking, 'Updated or unchanged'), 201: json(Booking, 'Created'), ...errors(400, 401, 409, 413) },
});

const batch = createRoute({
  method: 'post',
  path: '/v1/bookings/batch',
  tags,
  summary: 'Report many bookings at once (list capture, intake), by the manager booking id',
  description:
    'Idempotent: reporting the same bookings again changes nothing. A missing `state` keeps the stored one (new bookings: active). ' +
    'Rows that cannot be applied (unknown unit, an ended booking reported active: restore is explicit) are listed in `refused`; the others are applied. ' +
    'Every booking reported counts as seen (stale detection).',
  request: { query: z.object(langQuery), ...jsonBody(openapi(bookingBatchInput, 'BookingBatchInput')) },
  responses: { 200: json(openapi(bookingIntakeResultSchema, 'BookingIntakeResult'), 'Counts of created, changed, unchanged and refused bookings'), ...errors(400, 401, 413) },
});

const list = createRoute({
  method: 'get',
  path: '/v1/bookings',
  tags,
  summary: 'Bookings with their Tapkey access, by external id',
  request: {
    query: z.object({
      search: z.string().trim().max(200).optional().openapi({ description: 'Part of the booking id, unit id or tenant email' }),
      unitExternalId: z.string().trim().min(1).max(200).optional(),
      locationId: z.string().uuid('Not a valid UUID').optional(),
      state: bookingStateSchema.optional(),
      grantState: z.union([grantStateSchema, z.literal('none')]).optional().openapi({ description: '`none`: no grant (yet)' }),
      stale: z.enum(['true', 'false']).optional().openapi({ description: '`true`: only reserved or active bookings no intake reported for the stale threshold' }),
      staleDays: z.coerce.number().int().min(1).max(3650).optional().openapi({ description: 'Stale threshold in days (default: the server setting, 14)' }),
      ...langQuery,
      ...paging(1000, 100),
    }),
  },
  responses: { 200: json(listOf(Booking).openapi('BookingList'), 'A page of bookings and the total matching'), ...authErrors },
});

const get = createRoute({
  method: 'get',
  path: '/v1/bookings/{externalId}',
  tags,
  summary: 'One booking with its grant state, grant history, notices and next trigger',
  request: { params, query: z.object(langQuery) },
  responses: { 200: json(BookingDetail, 'The booking'), ...errors(400, 401, 404) },
});

const revoke = createRoute({
  method: 'post',
  path: '/v1/bookings/{externalId}/revoke',
  tags,
  summary: "Revoke the booking's Tapkey access (until restored)",
  description: 'Revocation reaches the lock at its next sync with a phone (Tapkey revocation is asynchronous).',
  request: { params, query: z.object(langQuery) },
  responses: { 200: json(Booking, 'Revocation queued (or already revoked)'), ...errors(400, 401, 404) },
});

const restore = createRoute({
  method: 'post',
  path: '/v1/bookings/{externalId}/restore',
  tags,
  summary: 'Restore access: clears a manual revoke; an ended or cancelled booking becomes active again (a new Tapkey grant; a failed one is retried)',
  description: 'The only way an ended or cancelled booking becomes active again.',
  request: { params, query: z.object(langQuery) },
  responses: { 200: json(Booking, 'Access queued again'), ...errors(400, 401, 404) },
});

const patch = createRoute({
  method: 'patch',
  path: '/v1/bookings/{externalId}',
  tags,
  summary: 'Change some fields of a booking; `syncEnabled` overrides the location sync mode for it',
  description:
    'Only the fields sent change. `syncEnabled`: true/false switches this booking on/off whatever the mode (the exception), null lets the mode decide again. ' +
    'An ended or cancelled booking is not made reserved or active again here (409): use POST /v1/bookings/{externalId}/restore.',
  request: { params, query: z.object(langQuery), ...jsonBody(openapi(bookingPatchInput, 'BookingPatchInput')) },
  responses: { 200: json(Booking, 'The booking, its access re-evaluated'), ...errors(400, 401, 404, 409) },
});

const notices = createRoute({
  method: 'get',
  path: '/v1/notices',
  tags,
  summary: '"Access ready" notices (the email to send tenants), newest first',
  request: {
    query: z.object({ bookingExternalId: z.string().trim().min(1).max(200).optional(), ...langQuery, ...paging(500, 50) }),
  },
  responses: { 200: json(listOf(AccessNotice).openapi('AccessNoticeList'), 'A page of notices'), ...authErrors },
});

async function bookingView(c: Context<AppEnv>, externalId: string) {
  const deps = c.get('deps');
  const [f] = await loadFacts(deps.database.db, c.get('organizationId'), eq(bookings.externalId, externalId), { lock: false });
  if (!f) throw new ApiError('not_found', `Booking ${externalId} not found`);
  return toBooking(f, requestLanguage(c), tapkeyNow(deps), staleDaysOf(deps));
}

/** A refused single write → the API error the caller sees. */
function refusal(p: Extract<WritePlan, { outcome: 'refused' }>): ApiError {
  if (p.code === 'not_found') return new ApiError('not_found', p.message);
  if (p.code === 'restore_needed') return new ApiError('conflict', p.message);
  return new ApiError('validation_failed', 'Some fields are not valid', [{ path: p.field ?? 'body', message: p.message }]);
}

/** Writes one booking (PUT or PATCH) and answers its view. */
async function writeOne(c: Context<AppEnv>, write: BookingWrite, create: boolean) {
  const deps = c.get('deps');
  const { plans } = await writeBookings(
    deps.database.db,
    { organizationId: c.get('organizationId'), actor: c.get('actor'), now: tapkeyNow(deps), source: 'api' },
    [write],
    { create },
  );
  const p = plans[0]!;
  if (p.outcome === 'refused') throw refusal(p);
  deps.kickOutbox?.();
  return { created: p.outcome === 'created', view: await bookingView(c, write.externalId) };
}

export const bookingsRouter = createRouter()
  .openapi(put, async (c) => {
    const { externalId } = c.req.valid('param');
    const input = c.req.valid('json');
    // A full replace: optional fields left out become empty (the override and booking time are kept).
    const { created, view } = await writeOne(
      c,
      {
        externalId,
        unitExternalId: input.unitExternalId,
        tenantEmail: input.tenantEmail ?? null,
        tenantPhone: input.tenantPhone ?? null,
        moveIn: input.moveIn,
        moveOut: input.moveOut ?? null,
        state: input.state,
        ...(input.bookedAt !== undefined ? { bookedAt: input.bookedAt } : {}),
        ...(input.syncEnabled !== undefined ? { syncEnabled: input.syncEnabled } : {}),
      },
      true,
    );
    return created ? c.json(view, 201) : c.json(view, 200);
  })
  .openapi(batch, async (c) => {
    const input = c.req.valid('json');
    const deps = c.get('deps');
    const { result } = await writeBookings(
      deps.database.db,
      { organizationId: c.get('organizationId'), actor: c.get('actor'), now: tapkeyNow(deps), source: input.source },
      input.bookings,
      { create: true },
    );
    if (result.created + result.changed > 0) deps.kickOutbox?.();
    return c.json(result, 200);
  })
  .openapi(list, async (c) => {
    const q = c.req.valid('query');
    const organizationId = c.get('organizationId');
    const { db } = c.get('deps').database;
    const where: SQL[] = [];
    if (q.search) {
      const p = likePattern(q.search);
      where.push(or(ilike(bookings.externalId, p), ilike(bookings.tenantEmail, p), ilike(units.externalId, p))!);
    }
    if (q.unitExternalId) where.push(eq(units.externalId, q.unitExternalId));
    if (q.locationId) where.push(eq(units.locationId, q.locationId));
    if (q.state) where.push(eq(bookings.state, q.state));
    if (q.grantState === 'none') where.push(isNull(tapkeyGrants.id));
    else if (q.grantState) where.push(eq(tapkeyGrants.state, q.grantState));
    const staleDays = q.staleDays ?? staleDaysOf(c.get('deps'));
    const now = tapkeyNow(c.get('deps'));
    if (q.stale) {
      const stale = and(inArray(bookings.state, ['reserved', 'active']), lt(bookings.lastSeenAt, staleBefore(now, staleDays)))!;
      where.push(q.stale === 'true' ? stale : sql`not (${stale})`);
    }
    const filter = where.length ? and(...where)! : sql`true`;
    const [[total], page] = await Promise.all([
      db
        .select({ n: count() })
        .from(bookings)
        .innerJoin(units, eq(units.id, bookings.unitId))
        .leftJoin(tapkeyGrants, eq(tapkeyGrants.bookingId, bookings.id))
        .where(and(eq(bookings.organizationId, organizationId), filter)),
      db
        .select({ id: bookings.id })
        .from(bookings)
        .innerJoin(units, eq(units.id, bookings.unitId))
        .leftJoin(tapkeyGrants, eq(tapkeyGrants.bookingId, bookings.id))
        .where(and(eq(bookings.organizationId, organizationId), filter))
        .orderBy(asc(bookings.externalId))
        .limit(q.limit)
        .offset(q.offset),
    ]);
    const facts = page.length ? await loadFacts(db, organizationId, inArray(bookings.id, page.map((p) => p.id)), { lock: false }) : [];
    const lang = requestLanguage(c);
    return c.json({ items: facts.map((f) => toBooking(f, lang, now, staleDays)), total: total!.n }, 200);
  })
  .openapi(get, async (c) => {
    const { externalId } = c.req.valid('param');
    const deps = c.get('deps');
    const organizationId = c.get('organizationId');
    const { db } = deps.database;
    const [f] = await loadFacts(db, organizationId, eq(bookings.externalId, externalId), { lock: false });
    if (!f) throw new ApiError('not_found', `Booking ${externalId} not found`);
    const lang = requestLanguage(c);
    const [history, noticeRows, [trigger]] = await Promise.all([
      f.grant ? db.select().from(tapkeyGrantEvents).where(eq(tapkeyGrantEvents.grantId, f.grant.id)).orderBy(asc(tapkeyGrantEvents.at), asc(tapkeyGrantEvents.id)) : [],
      db.select().from(tapkeyNotices).where(eq(tapkeyNotices.bookingId, f.booking.id)).orderBy(asc(tapkeyNotices.createdAt)),
      db
        .select()
        .from(tapkeyTriggers)
        .where(and(eq(tapkeyTriggers.bookingId, f.booking.id), isNull(tapkeyTriggers.firedAt)))
        .orderBy(asc(tapkeyTriggers.dueAt))
        .limit(1),
    ]);
    const links = tapkeySettings(deps);
    return c.json(
      {
        ...toBooking(f, lang, tapkeyNow(deps), staleDaysOf(deps)),
        locationId: f.location?.id ?? null,
        grantHistory: history.map((e) => ({
          at: e.at.toISOString(),
          actor: e.actor,
          fromState: e.fromState,
          toState: e.toState,
          desired: e.desired,
          lockId: e.lockId,
          email: e.email,
          tapkeyGrantId: e.tapkeyGrantId,
          reason: e.reason,
        })),
        notices: noticeRows.map((n) => toNotice(n, { bookingExternalId: externalId, timeZone: f.location?.timeZone ?? 'UTC' }, lang, links)),
        nextTrigger: trigger ? { kind: trigger.kind, dueAt: trigger.dueAt.toISOString() } : null,
      },
      200,
    );
  })
  .openapi(patch, async (c) => {
    const { externalId } = c.req.valid('param');
    const input = c.req.valid('json');
    const { view } = await writeOne(c, { externalId, ...input }, false);
    return c.json(view, 200);
  })
  .openapi(revoke, async (c) => {
    const { externalId } = c.req.valid('param');
    await setAccessRevoked(c.get('deps'), { organizationId: c.get('organizationId'), actor: c.get('actor') }, externalId, true);
    return c.json(await bookingView(c, externalId), 200);
  })
  .openapi(restore, async (c) => {
    const { externalId } = c.req.valid('param');
    await restoreBooking(c.get('deps'), { organizationId: c.get('organizationId'), actor: c.get('actor') }, externalId);
    return c.json(await bookingView(c, externalId), 200);
  })
  .openapi(notices, async (c) => {
    const q = c.req.valid('query');
    const deps = c.get('deps');
    const organizationId = c.get('organizationId');
    const { db } = deps.database;
    const where = and(eq(tapkeyNotices.organizationId, organizationId), q.bookingExternalId ? eq(bookings.externalId, q.bookingExternalId) : undefined);
    const base = db
      .select({ notice: tapkeyNotices, externalId: bookings.externalId, timeZone: locations.timeZone })
      .from(tapkeyNotices)
      .innerJoin(bookings, eq(bookings.id, tapkeyNotices.bookingId))
      .leftJoin(tapkeyGrants, eq(tapkeyGrants.id, tapkeyNotices.grantId))
      .leftJoin(locations, eq(locations.id, tapkeyGrants.locationId));
    const [rows, [total]] = await Promise.all([
      base.where(where).orderBy(desc(tapkeyNotices.createdAt), desc(tapkeyNotices.id)).limit(q.limit).offset(q.offset),
      db.select({ n: count() }).from(tapkeyNotices).innerJoin(bookings, eq(bookings.id, tapkeyNotices.bookingId)).where(where),
    ]);
    const lang = requestLanguage(c);
    const links = tapkeySettings(deps);
    return c.json(
      { items: rows.map((r) => toNotice(r.notice, { bookingExternalId: r.externalId, timeZone: r.timeZone ?? 'UTC' }, lang, links)), total: total!.n },
      200,
    );
  });
