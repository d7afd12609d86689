import { useSignal } from '@preact/signals';
import { useEffect, useRef } from 'preact/hooks';
import type { Booking, KeycafeBooking } from '../../lib/contract.ts';
import type { MessageKey } from '../../lib/i18n/index.ts';
import type { BookingPageData } from '../../lib/site-profile/index.ts';
import { describeError } from '../describe-error.ts';
import type { KeycafeApi } from '../keycafe/api.ts';
import { StatusMessage, type Notice } from '../StatusMessage.tsx';
import { useUi } from '../ui-context.ts';
import { useManagerDialogs } from './dialogs.ts';
import { keycafePrefill } from './keycafe-prefill.ts';

type Loaded = { status: 'loading' } | { status: 'ready'; booking: Booking } | { status: 'failed'; reason: string };

/** While Tapkey is being asked (grant or revocation), the state is re-read this often, this many times. */
const POLL_MS = 2000;
const MAX_POLLS = 30;
type AccessWord = 'active' | 'pending' | 'failed' | 'revoking' | 'revoked' | 'none';
type Action = 'revoke' | 'restore' | 'retry' | 'syncOn';

/** The API's access status (lib/contract.ts `access.status`) as a grant state, or none. */
export function accessWord(status: string): AccessWord {
  switch (status) {
    case 'active':
    case 'failed':
    case 'pending':
    // Tapkey is carrying out a revocation (asynchronous): its own state, neither live nor gone.
    case 'revoking':
      return status;
    case 'waiting_for_move_in':
      return 'pending';
    case 'revoked':
    case 'revoked_manually':
      return 'revoked';
    default:
      return 'none';
  }
}

/** The Tapkey buttons that make sense now; none where the unit's location has no Tapkey. */
export function accessActions(b: Pick<Booking, 'access' | 'accessRevoked'>): Action[] {
  const { status } = b.access;
  if (status === 'location_not_connected' || status === 'unit_without_location') return [];
  if (b.accessRevoked) return ['restore'];
  const actions: Action[] = [];
  if (status === 'failed') actions.push('retry');
  if (status === 'sync_off') actions.push('syncOn');
  if (['active', 'pending', 'failed', 'waiting_for_move_in'].includes(status)) actions.push('revoke');
  return actions;
}

const actionLabel: Record<Action, MessageKey> = {
  revoke: 'manager.booking.revoke',
  restore: 'manager.booking.restore',
  retry: 'manager.booking.retry',
  syncOn: 'manager.booking.syncOn',
};
const actionDone: Record<Action, MessageKey> = {
  revoke: 'manager.booking.revoked',
  restore: 'manager.booking.restored',
  retry: 'manager.booking.retried',
  syncOn: 'manager.booking.syncedOn',
};

/**
 * On a booking page: sends the booking to the API, shows the tenant's Tapkey access (pending,
 * active, failed with the reason, revoked) with revoke/restore, and "Grant Keycafe access"
 * prefilled from the booking. Render with `key={externalId}`.
 */
export interface BookingControlsProps {
  booking: BookingPageData;
  keycafe: KeycafeApi | null;
  pollMs?: number;
}

export function BookingControls({ booking, keycafe, pollMs = POLL_MS }: BookingControlsProps) {
  const { t, send } = useUi();
  const { KeycafeBooking: BookingDialog } = useManagerDialogs();
  const loaded = useSignal<Loaded>({ status: 'loading' });
  const busy = useSignal(false);
  const dialogOpen = useSignal(false);
  const notice = useSignal<Notice | null>(null);
  const keycafeRef = useRef<HTMLButtonElement>(null);
  const polls = useRef(0);

  async function load() {
    loaded.value = { status: 'loading' };
    try {
      loaded.value = { status: 'ready', booking: (await send({ type: 'pushBooking', booking })).booking };
    } catch (error) {
      loaded.value = { status: 'failed', reason: describeError(t, error) };
    }
  }

  useEffect(() => {
    void load();
  }, [JSON.stringify(booking)]);

  // A grant or revocation under way settles in seconds: show it when it has.
  const l0 = loaded.value;
  const settling = l0.status === 'ready' && (l0.booking.grant?.state === 'pending' || l0.booking.grant?.state === 'revoking');
  useEffect(() => {
    if (!settling || polls.current >= MAX_POLLS) return;
    const timer = setTimeout(() => {
      polls.current++;
      send({ type: 'bookingAccess', externalId: booking.externalId }).then(
        (r) => (loaded.value = { status: 'ready', booking: r.booking }),
        () => undefined,
      );
    }, pollMs);
    return () => clearTimeout(timer);
  }, [l0]);

  async function act(action: Action) {
    busy.value = true;
    notice.value = { tone: 'info', text: t('manager.booking.working') };
    const externalId = booking.externalId;
    try {
      const result =
        action === 'revoke'
          ? await send({ type: 'revokeBookingAccess', externalId })
          : action === 'syncOn'
            ? await send({ type: 'setBookingSync', externalId, syncEnabled: true })
            : await send({ type: 'restoreBookingAccess', externalId });
      polls.current = 0;
      loaded.value = { status: 'ready', booking: result.booking };
      notice.value = { tone: 'success', text: t(actionDone[action]) };
    } catch (error) {
      notice.value = { tone: 'error', text: describeError(t, error) };
    } finally {
      busy.value = false;
    }
  }

  function keycafeClosed(made: KeycafeBooking | null) {
    dialogOpen.value = false;
    keycafeRef.current?.focus();
    const recipient = made?.recipient.email ?? made?.recipient.mobile;
    if (recipient) notice.value = { tone: 'success', text: t('manager.keycafe.booked', { recipient }) };
  }

  const l = loaded.value;
  return (
    <div class="ab-booking-controls">
      {l.status === 'loading' ? <p class="ab-current">{t('manager.booking.loading')}</p> : null}
      {l.status === 'ready' ? (
        <>
          <p class="ab-current">{t('manager.booking.access', { state: t(`manager.booking.state.${accessWord(l.booking.access.status)}`) })}</p>
          <p class="ab-hint">{l.booking.access.message}</p>
        </>
      ) : null}
      <div class="ab-actions">
        {l.status === 'ready'
          ? accessActions(l.booking).map((action) => (
              <button key={action} type="button" disabled={busy.value} onClick={() => void act(action)}>
                {t(actionLabel[action])}
              </button>
            ))
          : null}
        {l.status === 'failed' ? (
          <button type="button" onClick={() => void load()}>
            {t('common.retry')}
          </button>
        ) : null}
        {keycafe ? (
          <button ref={keycafeRef} type="button" class="ab-primary" aria-haspopup="dialog" onClick={() => (dialogOpen.value = true)}>
            {t('manager.keycafe.grant')}
          </button>
        ) : null}
      </div>
      <StatusMessage
        notice={l.status === 'failed' ? { tone: 'error', text: t('manager.booking.failed', { booking: booking.externalId, reason: l.reason }) } : notice.value}
      />
      {dialogOpen.value && keycafe ? <BookingDialog api={keycafe} prefill={keycafePrefill(booking)} onClose={keycafeClosed} /> : null}
    </div>
  );
}
