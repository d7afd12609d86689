/**
 * Reading bookings with their Tapkey access: a filtered page, one booking's view, its detail
 * (grant history, notices, next trigger) and the "access ready" notices.
 */
import { and, asc, count, desc, eq, ilike, inArray, isNull, lt, or, sql, type SQL } from 'drizzle-orm';
import type { z } from 'zod';
import type { AccessNotice, Booking, bookingDetailSchema, bookingStateSchema, grantStateSchema } from '../../lib/contract.ts';
import type { Language } from '../../lib/i18n/index.ts';
import { bookings, locations, tapkeyGrantEvents, tapkeyGrants, tapkeyNotices, tapkeyTriggers, units } from '../db/schema/index.ts';
import { ApiError } from '../errors.ts';
import { likePattern } from '../resources.ts';
import { loadFacts } from '../tapkey/grants.ts';
import { toBooking, toNotice } from '../tapkey/views.ts';
import type { BookingsContext } from './context.ts';
import { staleBefore } from './stale.ts';

type ReadContext = Pick<BookingsContext, 'db' | 'now' | 'staleDays' | 'noticeLinks'>;

export interface BookingListQuery {
  search?: string;
  unitExternalId?: string;
  locationId?: string;
  state?: z.infer<typeof bookingStateSchema>;
  grantState?: z.infer<typeof grantStateSchema> | 'none';
  stale?: 'true' | 'false';
  staleDays?: number;
  limit: number;
  offset: number;
}

export async function listBookings(ctx: ReadContext, organizationId: string, q: BookingListQuery, lang: Language): Promise<{ items: Booking[]; total: number }> {
  const { db } = ctx;
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
  const staleDays = q.staleDays ?? ctx.staleDays;
  const now = ctx.now();
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
  return { items: facts.map((f) => toBooking(f, lang, now, staleDays)), total: total!.n };
}

async function factsOf(ctx: ReadContext, organizationId: string, externalId: string) {
  const [f] = await loadFacts(ctx.db, organizationId, eq(bookings.externalId, externalId), { lock: false });
  if (!f) throw new ApiError('not_found', `Booking ${externalId} not found`);
  return f;
}

/** One booking with its access, as every write answers it. */
export async function bookingView(ctx: ReadContext, organizationId: string, externalId: string, lang: Language): Promise<Booking> {
  return toBooking(await factsOf(ctx, organizationId, externalId), lang, ctx.now(), ctx.staleDays);
}

export async function bookingDetail(ctx: ReadContext, organizationId: string, externalId: string, lang: Language): Promise<z.infer<typeof bookingDetailSchema>> {
  const { db } = ctx;
  const f = await factsOf(ctx, organizationId, externalId);
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
  return {
    ...toBooking(f, lang, ctx.now(), ctx.staleDays),
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
    notices: noticeRows.map((n) => toNotice(n, { bookingExternalId: externalId, timeZone: f.location?.timeZone ?? 'UTC' }, lang, ctx.noticeLinks)),
    nextTrigger: trigger ? { kind: trigger.kind, dueAt: trigger.dueAt.toISOString() } : null,
  };
}

/** "Access ready" notices, newest first (of one booking when asked). */
export async function listNotices(
  ctx: ReadContext,
  organizationId: string,
  q: { bookingExternalId?: string; limit: number; offset: number },
  lang: Language,
): Promise<{ items: AccessNotice[]; total: number }> {
  const { db } = ctx;
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
  return { items: rows.map((r) => toNotice(r.notice, { bookingExternalId: r.externalId, timeZone: r.timeZone ?? 'UTC' }, lang, ctx.noticeLinks)), total: total!.n };
}
