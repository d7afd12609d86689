/**
 * Rows → the contract's booking, grant and notice resources, with the user-facing texts
 * rendered in the reader's language.
 */
import type { AccessNotice, Booking, Grant } from '../../lib/contract.ts';
import { translate, type Language, type MessageKey } from '../../lib/i18n/index.ts';
import type { tapkeyNotices } from '../db/schema/index.ts';
import { DEFAULT_STALE_DAYS, isStale } from '../bookings/stale.ts';
import { dayStart, syncApplies } from './access.ts';
import { desiredFor, describeStatus, type Facts, type GrantRow } from './grants.ts';

/** The merge field the manager's email template uses for the tenant's email (our syntax). */
export const EMAIL_MERGE_FIELD = '{{booking.tenant_email}}';

export function toGrant(g: GrantRow): Grant {
  return {
    id: g.id,
    bookingId: g.bookingId,
    lockId: g.lockId,
    email: g.email,
    state: g.state,
    reason: g.reason,
    tapkeyGrantId: g.tapkeyGrantId,
    validFrom: g.validFrom?.toISOString() ?? null,
    validBefore: g.validBefore?.toISOString() ?? null,
    updatedAt: g.updatedAt.toISOString(),
  };
}

const formatDate = (d: Date, lang: Language, timeZone: string) => new Intl.DateTimeFormat(lang, { dateStyle: 'long', timeZone }).format(d);

export function accessOf(f: Facts, lang: Language, now: Date): Booking['access'] {
  const g = f.grant;
  const t = (key: MessageKey, params: Record<string, string> = {}) => translate(lang, key, params);
  if (g && (g.desired === 'active' || g.state !== 'revoked')) {
    const params = { email: g.email, lockId: g.lockId, reason: g.reason ?? '' };
    if (g.state === 'active') return { status: 'active', message: t('tapkeyServer.access.active', params) };
    if (g.state === 'failed') return { status: 'failed', message: t('tapkeyServer.access.failed', params) };
    if (g.state === 'revoking') return { status: 'revoking', message: t('tapkeySync.access.revoking', params) };
    return { status: 'pending', message: t('tapkeyServer.access.pending', params) };
  }
  const d = desiredFor(f, now);
  if (d.want) return { status: 'pending', message: t('tapkeyServer.access.pending', { email: d.email }) };
  if (g) return { status: 'revoked', message: t('tapkeyServer.access.revoked', { reason: g.reason ?? describeStatus(d.status) }) };
  const date = d.recheckAt && f.location ? formatDate(d.recheckAt, lang, f.location.timeZone) : '';
  return { status: d.status, message: t(`tapkeyServer.access.${d.status}`, { date }) };
}

/** Whether sync applies to the booking now: the location's mode (or the override). */
function syncEnabledOf(f: Facts): boolean {
  const settings = f.location?.tapkey;
  if (!settings) return f.booking.syncEnabled ?? false;
  return syncApplies(f.booking, settings, dayStart(f.booking.moveIn, f.location!.timeZone));
}

export function toBooking(f: Facts, lang: Language, now: Date, staleDays: number = DEFAULT_STALE_DAYS): Booking {
  const b = f.booking;
  return {
    id: b.id,
    externalId: b.externalId,
    unitId: b.unitId,
    unitExternalId: f.unit.externalId,
    tenantEmail: b.tenantEmail,
    tenantPhone: b.tenantPhone,
    moveIn: b.moveIn,
    moveOut: b.moveOut,
    state: b.state,
    syncEnabled: syncEnabledOf(f),
    syncOverride: b.syncEnabled,
    bookedAt: b.bookedAt?.toISOString() ?? null,
    lastSeenAt: b.lastSeenAt.toISOString(),
    lastSeenVia: b.lastSeenVia,
    stale: isStale(b, now, staleDays),
    grant: f.grant ? toGrant(f.grant) : null,
    access: accessOf(f, lang, now),
    accessRevoked: b.accessRevoked,
    createdAt: b.createdAt.toISOString(),
    updatedAt: b.updatedAt.toISOString(),
  };
}

export interface NoticeLinks {
  appStoreUrl: string;
  playStoreUrl: string;
}

export function toNotice(
  row: typeof tapkeyNotices.$inferSelect,
  ctx: { bookingExternalId: string; timeZone: string },
  lang: Language,
  links: NoticeLinks,
): AccessNotice {
  const validFrom = row.validFrom ?? row.createdAt;
  const params = { unit: row.unitName, validFrom: formatDate(validFrom, lang, ctx.timeZone), ...links };
  return {
    id: row.id,
    kind: row.kind,
    bookingExternalId: ctx.bookingExternalId,
    email: row.email,
    unitName: row.unitName,
    lockId: row.lockId,
    validFrom: row.validFrom?.toISOString() ?? null,
    validBefore: row.validBefore?.toISOString() ?? null,
    subject: translate(lang, 'tapkeyServer.notice.subject', params),
    text: translate(lang, 'tapkeyServer.notice.body', { ...params, email: row.email }),
    template: translate(lang, 'tapkeyServer.notice.body', { ...params, email: EMAIL_MERGE_FIELD }),
    mergeField: EMAIL_MERGE_FIELD,
    ...links,
    createdAt: row.createdAt.toISOString(),
  };
}
