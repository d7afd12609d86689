import { useSignal } from '@preact/signals';
import { useEffect, useId, useRef } from 'preact/hooks';
import type { KeycafeBooking } from '../../lib/contract.ts';
import { useUi } from '../ui-context.ts';
import { asKeycafeApiError } from './api.ts';
import { bookingStateText, keysText, recipientText, whenText } from './booking-text.ts';
import { useKeycafeApi } from './context.ts';

/** Per key and per recipient: enough to spot a double booking, not a full history. */
export const EXISTING_LIMIT = 10;
const LOOKUP_DEBOUNCE_MS = 400;

export interface ExistingBookingsProps {
  keyIds: string[];
  /** A valid email or normalised mobile number, or null while the field is incomplete. */
  recipient: string | null;
  /** Bumped after a booking is made, so the list shows it. */
  version: number;
  onNotice: (notice: { tone: 'success' | 'error'; text: string }) => void;
}

type State = { status: 'idle' } | { status: 'loading' } | { status: 'error'; message: string } | { status: 'ready'; items: KeycafeBooking[] };

/**
 * Bookings that already give the chosen keys or this recipient access (not cancelled ones),
 * each with "Cancel", so an admin sees a duplicate before making it.
 */
export function ExistingBookings({ keyIds, recipient, version, onNotice }: ExistingBookingsProps) {
  const { t, lang } = useUi();
  const api = useKeycafeApi();
  const state = useSignal<State>({ status: 'idle' });
  const cancelling = useSignal<string | null>(null);
  const attempt = useSignal(0);
  const headingId = useId();
  const latest = useRef(0);
  const keysKey = keyIds.join(',');

  useEffect(() => {
    if (!api.can.listBookings) return;
    const run = ++latest.current;
    if (keyIds.length === 0 && !recipient) {
      state.value = { status: 'idle' };
      return;
    }
    const timer = setTimeout(() => {
      state.value = { status: 'loading' };
      const queries = [
        ...keyIds.map((keyId) => api.listBookings({ keyId, limit: EXISTING_LIMIT })),
        ...(recipient ? [api.listBookings({ recipient, limit: EXISTING_LIMIT })] : []),
      ];
      Promise.all(queries).then(
        (pages) => {
          if (run !== latest.current) return;
          const byId = new Map<string, KeycafeBooking>();
          for (const b of pages.flatMap((p) => p.items)) if (b.state !== 'cancelled') byId.set(b.id, b);
          const items = [...byId.values()].sort((a, b) => b.createdAt.localeCompare(a.createdAt)).slice(0, EXISTING_LIMIT);
          state.value = { status: 'ready', items };
        },
        (error: unknown) => {
          if (run === latest.current) state.value = { status: 'error', message: asKeycafeApiError(error).message };
        },
      );
    }, LOOKUP_DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [keysKey, recipient, version, attempt.value]);

  if (!api.can.listBookings || state.value.status === 'idle') return null;

  async function cancel(b: KeycafeBooking) {
    cancelling.value = b.id;
    try {
      const after = await api.cancelBooking(b.id);
      const s = state.value;
      if (s.status === 'ready') state.value = { status: 'ready', items: s.items.map((x) => (x.id === after.id ? after : x)) };
      onNotice({ tone: 'success', text: t('kcui.existing.cancelled', { recipient: recipientText(b) }) });
    } catch (error) {
      onNotice({ tone: 'error', text: t('kcui.existing.cancelFailed', { message: asKeycafeApiError(error).message }) });
    } finally {
      cancelling.value = null;
    }
  }

  const s = state.value;
  return (
    <section class="ab-existing" aria-labelledby={headingId} aria-busy={s.status === 'loading'}>
      <h3 id={headingId}>{t('kcui.existing.title')}</h3>
      {s.status === 'loading' ? (
        <p class="ab-hint">{t('common.loading')}</p>
      ) : s.status === 'error' ? (
        <div class="ab-inline-error">
          <p>{t('kcui.existing.failed', { message: s.message })}</p>
          <button type="button" onClick={() => attempt.value++}>
            {t('common.retry')}
          </button>
        </div>
      ) : s.items.length === 0 ? (
        <p class="ab-empty">{t('kcui.existing.none')}</p>
      ) : (
        <ul class="ab-bookings">
          {s.items.map((b) => {
            const who = recipientText(b);
            const keys = keysText(t, b);
            const codes = b.accesses.filter((a) => a.bookingCode).map((a) => a.bookingCode);
            const canCancel = api.can.cancel && (api.mayCancel?.(b) ?? true) && b.state !== 'cancelling';
            return (
              <li key={b.id}>
                <span class="ab-booking-who">{who}</span>
                <span>{keys}</span>
                <span class="ab-hint">{whenText(t, lang, b)}</span>
                <span class="ab-tag">{bookingStateText(t, b)}</span>
                {codes.length ? <span class="ab-hint">{t('kcui.existing.codes', { codes: codes.join(', ') })}</span> : null}
                {canCancel ? (
                  <button
                    type="button"
                    disabled={cancelling.value !== null}
                    aria-label={t('kcui.existing.cancelFor', { recipient: who, keys })}
                    onClick={() => void cancel(b)}
                  >
                    {t('kcui.existing.cancel')}
                  </button>
                ) : null}
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}
