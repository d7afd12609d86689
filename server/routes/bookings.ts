/**
 * Bookings pushed by the manager side, each with its Tapkey access: upsert, list, detail (grant
 * state, history, notices, next trigger), revoke/restore, and the "access ready" notices. Every
 * change re-evaluates the booking's access in the same transaction (server/tapkey/grants.ts).
 */
import { createRoute, z } from '@hono/zod-openapi';
import { identifierSchema } from '../../lib/identifiers.ts';
import { and, asc, count, desc, eq, ilike, inArray, isNull, or, sql, type SQL } from 'drizzle-orm';
import type { Context } from 'hono';
import { accessNoticeSchema, bookingDetailSchema, bookingInput, bookingSchema, bookingStateSchema, grantStateSchema, listOf } from '../../lib/contract.ts';
import { languages, matchLanguage, type Language } from '../../lib/i18n/index.ts';
import type { AppEnv } from '../env.ts';
import { recordAudit } from '../audit.ts';
import { bookings, locations, tapkeyGrantEvents, tapkeyGrants, tapkeyNotices, tapkeyTriggers, units } from '../db/schema/index.ts';
import { ApiError } from '../errors.ts';
import { likePattern } from '../resources.ts';
import { createRouter } from '../router.ts';
import { tapkeySettings, tapkeyNow } from '../tapkey/config.ts';
import { evaluateBookings, loadFacts, type BookingRow } from '../tapkey/grants.ts';
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
  summary: 'Create or update a booking (its Tapkey access follows)',
  description:
    'The unit is referenced by its external id and must exist. 201 when created, 200 when updated or unchanged. ' +
    'Omitting `syncEnabled` keeps the stored value (new bookings: off; it only matters in gradual sync mode). ' +
    'For a mapped unit of a Tapkey-connected location the API then ensures exactly one Tapkey grant for the tenant email ' +
    'on the unit lock, valid from move-in to move-out (created at once, or when move-in is reached, per the location trigger); ' +
    'an ended or cancelled booking has its grant revoked; a moved booking has it moved.',
  request: { params, query: z.object(langQuery), ...jsonBody(openapi(bookingInput, 'BookingInput')) },
  responses: { 200: json(Booking, 'Updated or unchanged'), 201: json(Booking, 'Created'), ...errors(400, 401, 413) },
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
  summary: 'Restore access revoked by hand (a new Tapkey grant; a failed one is retried)',
  request: { params, query: z.object(langQuery) },
  responses: { 200: json(Booking, 'Access queued again'), ...errors(400, 401, 404) },
});

const patch = createRoute({
  method: 'patch',
  path: '/v1/bookings/{externalId}',
  tags,
  summary: 'Switch Tapkey sync on or off for one booking (gradual mode)',
  description: 'In gradual sync mode only bookings switched on get a grant; switching off revokes it. In full mode the switch is kept but has no effect.',
  request: { params, query: z.object(langQuery), ...jsonBody(z.object({ syncEnabled: z.boolean() }).strict().openapi('BookingSyncInput')) },
  responses: { 200: json(Booking, 'The booking, its access re-evaluated'), ...errors(400, 401, 404) },
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
  const [f] = await loadFacts(c.get('deps').database.db, c.get('organizationId'), eq(bookings.externalId, externalId), { lock: false });
  if (!f) throw new ApiError('not_found', `Booking ${externalId} not found`);
  return toBooking(f, requestLanguage(c), tapkeyNow(c.get('deps')));
}

const bookingSnapshot = (b: BookingRow) => ({
  unitId: b.unitId,
  tenantEmail: b.tenantEmail,
  tenantPhone: b.tenantPhone,
  moveIn: b.moveIn,
  moveOut: b.moveOut,
  state: b.state,
  syncEnabled: b.syncEnabled,
  accessRevoked: b.accessRevoked,
});

/** Sets the manual-revoke flag and re-evaluates (restore also retries a failed grant). */
async function setRevoked(c: Context<AppEnv>, externalId: string, revoked: boolean) {
  const deps = c.get('deps');
  const organizationId = c.get('organizationId');
  const actor = c.get('actor');
  await deps.database.db.transaction(async (tx) => {
    const [row] = await tx
      .select()
      .from(bookings)
      .where(and(eq(bookings.organizationId, organizationId), eq(bookings.externalId, externalId)))
      .for('no key update');
    if (!row) throw new ApiError('not_found', `Booking ${externalId} not found`);
    if (row.accessRevoked !== revoked) {
      await tx.update(bookings).set({ accessRevoked: revoked, updatedAt: sql`now()` }).where(eq(bookings.id, row.id));
      await recordAudit(tx, {
        organizationId,
        actor,
        action: revoked ? 'booking.access_revoked' : 'booking.access_restored',
        entity: 'booking',
        entityId: externalId,
        before: { accessRevoked: row.accessRevoked },
        after: { accessRevoked: revoked },
      });
    }
    await evaluateBookings(tx, { organizationId, actor, now: tapkeyNow(deps), force: !revoked }, eq(bookings.id, row.id));
  });
  deps.kickOutbox?.();
  return bookingView(c, externalId);
}

export const bookingsRouter = createRouter()
  .openapi(put, async (c) => {
    const { externalId } = c.req.valid('param');
    const input = c.req.valid('json');
    const deps = c.get('deps');
    const organizationId = c.get('organizationId');
    const actor = c.get('actor');
    const created = await deps.database.db.transaction(async (tx) => {
      const [unit] = await tx.select().from(units).where(and(eq(units.organizationId, organizationId), eq(units.externalId, input.unitExternalId)));
      if (!unit)
        throw new ApiError('validation_failed', 'Some fields are not valid', [
          { path: 'unitExternalId', message: `No unit ${input.unitExternalId}: create it first with PUT /v1/units/{externalId}` },
        ]);
      const values = {
        unitId: unit.id,
        tenantEmail: input.tenantEmail ?? null,
        tenantPhone: input.tenantPhone ?? null,
        moveIn: input.moveIn,
        moveOut: input.moveOut ?? null,
        state: input.state,
      };
      // Insert-or-nothing first, so two PUTs creating the same booking at once cannot collide.
      const [inserted] = await tx
        .insert(bookings)
        .values({ organizationId, externalId, ...values, syncEnabled: input.syncEnabled ?? false })
        .onConflictDoNothing()
        .returning();
      let row: BookingRow;
      if (inserted) {
        row = inserted;
        await recordAudit(tx, { organizationId, actor, action: 'booking.created', entity: 'booking', entityId: externalId, after: bookingSnapshot(row) });
      } else {
        const [before] = (await tx
          .select()
          .from(bookings)
          .where(and(eq(bookings.organizationId, organizationId), eq(bookings.externalId, externalId)))
          .for('no key update')) as [BookingRow];
        const next = { ...values, syncEnabled: input.syncEnabled ?? before.syncEnabled };
        row = before;
        if ((Object.keys(next) as (keyof typeof next)[]).some((k) => next[k] !== before[k])) {
          [row] = (await tx.update(bookings).set({ ...next, updatedAt: sql`now()` }).where(eq(bookings.id, before.id)).returning()) as [BookingRow];
          await recordAudit(tx, { organizationId, actor, action: 'booking.updated', entity: 'booking', entityId: externalId, before: bookingSnapshot(before), after: bookingSnapshot(row) });
        }
      }
      await evaluateBookings(tx, { organizationId, actor, now: tapkeyNow(deps) }, eq(bookings.id, row.id));
      return Boolean(inserted);
    });
    deps.kickOutbox?.();
    const view = await bookingView(c, externalId);
    return created ? c.json(view, 201) : c.json(view, 200);
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
    const now = tapkeyNow(c.get('deps'));
    return c.json({ items: facts.map((f) => toBooking(f, lang, now)), total: total!.n }, 200);
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
        ...toBooking(f, lang, tapkeyNow(deps)),
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
    const { syncEnabled } = c.req.valid('json');
    const deps = c.get('deps');
    const organizationId = c.get('organizationId');
    const actor = c.get('actor');
    await deps.database.db.transaction(async (tx) => {
      const [row] = await tx
        .select()
        .from(bookings)
        .where(and(eq(bookings.organizationId, organizationId), eq(bookings.externalId, externalId)))
        .for('no key update');
      if (!row) throw new ApiError('not_found', `Booking ${externalId} not found`);
      if (row.syncEnabled === syncEnabled) return;
      await tx.update(bookings).set({ syncEnabled, updatedAt: sql`now()` }).where(eq(bookings.id, row.id));
      await recordAudit(tx, { organizationId, actor, action: 'booking.sync_switched', entity: 'booking', entityId: externalId, before: { syncEnabled: row.syncEnabled }, after: { syncEnabled } });
      await evaluateBookings(tx, { organizationId, actor, now: tapkeyNow(deps) }, eq(bookings.id, row.id));
    });
    deps.kickOutbox?.();
    return c.json(await bookingView(c, externalId), 200);
  })
  .openapi(revoke, async (c) => c.json(await setRevoked(c, c.req.valid('param').externalId, true), 200))
  .openapi(restore, async (c) => c.json(await setRevoked(c, c.req.valid('param').externalId, false), 200))
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
