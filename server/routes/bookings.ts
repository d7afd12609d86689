/**
 * Bookings pushed by the manager side, each with its Tapkey access: upsert, list, detail (grant
 * state, history, notices, next trigger), revoke/restore, and the "access ready" notices. Every
 * change re-evaluates the booking's access in the same transaction (server/tapkey/grants.ts).
 */
import { createRoute, z } from '@hono/zod-openapi';
import { identifierSchema } from '../../lib/identifiers.ts';
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
import { restoreBooking, setAccessRevoked } from '../bookings/access.ts';
import { writeBookingBatch, writeOneBooking } from '../bookings/api-write.ts';
import { bookingsContextOf } from '../bookings/context.ts';
import { bookingDetail, bookingView, listBookings, listNotices } from '../bookings/read.ts';
import { createRouter } from '../router.ts';
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

const actorOf = (c: Context<AppEnv>) => ({ organizationId: c.get('organizationId'), actor: c.get('actor') });

export const bookingsRouter = createRouter()
  .openapi(put, async (c) => {
    const { externalId } = c.req.valid('param');
    const input = c.req.valid('json');
    // A full replace: optional fields left out become empty (the override and booking time are kept).
    const { created, view } = await writeOneBooking(
      bookingsContextOf(c.get('deps')),
      actorOf(c),
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
      requestLanguage(c),
    );
    return created ? c.json(view, 201) : c.json(view, 200);
  })
  .openapi(batch, async (c) => {
    const input = c.req.valid('json');
    return c.json(await writeBookingBatch(bookingsContextOf(c.get('deps')), actorOf(c), input.source, input.bookings), 200);
  })
  .openapi(list, async (c) => {
    const q = c.req.valid('query');
    return c.json(await listBookings(bookingsContextOf(c.get('deps')), c.get('organizationId'), q, requestLanguage(c)), 200);
  })
  .openapi(get, async (c) => {
    const { externalId } = c.req.valid('param');
    return c.json(await bookingDetail(bookingsContextOf(c.get('deps')), c.get('organizationId'), externalId, requestLanguage(c)), 200);
  })
  .openapi(patch, async (c) => {
    const { externalId } = c.req.valid('param');
    const input = c.req.valid('json');
    const { view } = await writeOneBooking(bookingsContextOf(c.get('deps')), actorOf(c), { externalId, ...input }, false, requestLanguage(c));
    return c.json(view, 200);
  })
  .openapi(revoke, async (c) => {
    const { externalId } = c.req.valid('param');
    const ctx = bookingsContextOf(c.get('deps'));
    await setAccessRevoked(ctx, actorOf(c), externalId, true);
    return c.json(await bookingView(ctx, c.get('organizationId'), externalId, requestLanguage(c)), 200);
  })
  .openapi(restore, async (c) => {
    const { externalId } = c.req.valid('param');
    const ctx = bookingsContextOf(c.get('deps'));
    await restoreBooking(ctx, actorOf(c), externalId);
    return c.json(await bookingView(ctx, c.get('organizationId'), externalId, requestLanguage(c)), 200);
  })
  .openapi(notices, async (c) => {
    const q = c.req.valid('query');
    return c.json(await listNotices(bookingsContextOf(c.get('deps')), c.get('organizationId'), q, requestLanguage(c)), 200);
  });
