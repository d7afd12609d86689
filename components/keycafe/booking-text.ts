/** How a Keycafe booking reads in a list: who, which keys, when, and in what state. */
import type { KeycafeBooking } from '../../lib/contract.ts';
import type { MessageKey } from '../../lib/i18n/index.ts';
import type { Translate } from '../ui-context.ts';
import { formatInZone } from './zones.ts';

export type Access = KeycafeBooking['accesses'][number];

const bookingStates: Record<KeycafeBooking['state'], MessageKey> = {
  pending: 'kcui.state.pending',
  active: 'kcui.state.active',
  partially_failed: 'kcui.state.partiallyFailed',
  failed: 'kcui.state.failed',
  cancelling: 'kcui.state.cancelling',
  cancelled: 'kcui.state.cancelled',
};

const accessStates: Record<Access['state'], MessageKey> = {
  pending: 'kcui.state.pending',
  active: 'kcui.state.active',
  failed: 'kcui.state.failed',
  cancelling: 'kcui.state.cancelling',
  cancelled: 'kcui.state.cancelled',
};

export const bookingStateText = (t: Translate, b: KeycafeBooking) => t(bookingStates[b.state]);
export const accessStateText = (t: Translate, a: Access) => t(accessStates[a.state]);

export const recipientText = (b: KeycafeBooking) => b.recipient.email ?? (b.recipient.mobile ? b.recipient.mobile : '');

export function keysText(t: Translate, b: KeycafeBooking): string {
  if (b.allKeys) return t('kcui.booking.allKeys');
  return b.accesses.map((a) => a.keyName).join(', ');
}

/** "Mon, 13 Oct 2025, 10:00 – Tue, 14 Oct 2025, 10:00 (Europe/Berlin)" or "Ongoing". */
export function whenText(t: Translate, lang: string, b: KeycafeBooking): string {
  if (b.type === 'ongoing' || !b.startsAt || !b.endsAt || !b.timeZone) return t('kcui.booking.ongoing');
  return t('kcui.booking.window', {
    start: formatInZone(lang, new Date(b.startsAt), b.timeZone),
    end: formatInZone(lang, new Date(b.endsAt), b.timeZone),
    timeZone: b.timeZone,
  });
}

/** Still moving: Keycafe has not answered for every key yet. */
export const isSettling = (b: KeycafeBooking) => b.state === 'pending' || b.state === 'cancelling';
