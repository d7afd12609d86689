import { useSignal } from '@preact/signals';
import { useEffect } from 'preact/hooks';
import type { KeycafeApi } from '../components/keycafe/api.ts';
import { asKeycafeApiError } from '../components/keycafe/api.ts';
import { BookingDialog } from '../components/keycafe/BookingDialog.tsx';
import { useUi } from '../components/ui-context.ts';
import type { KeycafeBooking } from '../lib/contract.ts';
import type { KeycafeClient } from './keycafe-client.ts';

type Session = { status: 'loading' } | { status: 'error'; message: string } | { status: 'ready'; api: KeycafeApi; canBook: boolean };

/**
 * `view="keycafe-booking"`: a "Grant Keycafe access" button that opens the same booking
 * dialog as the extension, for the key named by the `key` attribute (id or serial number).
 */
export function BookingView({ client, keyRef, pollMs }: { client: KeycafeClient; keyRef: string | null; pollMs?: number }) {
  const { t } = useUi();
  const session = useSignal<Session>({ status: 'loading' });
  const open = useSignal(false);
  const last = useSignal<KeycafeBooking | null>(null);

  useEffect(() => {
    client.session().then(
      (s) => (session.value = { status: 'ready', api: client.keycafe(s), canBook: s.actions.includes('keycafe:book') }),
      (error: unknown) => (session.value = { status: 'error', message: asKeycafeApiError(error).message }),
    );
  }, [client]);

  const s = session.value;
  if (s.status === 'loading') return <p class="ab-hint">{t('kcui.widget.loading')}</p>;
  if (s.status === 'error') return <p role="alert" class="ab-alert">{s.message}</p>;
  if (!s.canBook) return <p role="alert" class="ab-alert">{t('kcui.widget.notAllowed', { action: 'keycafe:book' })}</p>;

  const codes = last.value?.accesses.map((a) => a.bookingCode).filter(Boolean) ?? [];
  return (
    <div class="ab-widget-booking">
      <button type="button" class="ab-primary" onClick={() => (open.value = true)}>
        {t('kcui.open')}
      </button>
      <p role="status" class="ab-hint">
        {codes.length ? t('kcui.widget.bookedFor', { codes: codes.join(', ') }) : ''}
      </p>
      {open.value ? (
        <BookingDialog
          api={s.api}
          prefill={keyRef ? { keyRefs: [keyRef] } : undefined}
          pollMs={pollMs}
          onBooked={(b) => (last.value = b)}
          onClose={(b) => {
            open.value = false;
            if (b) last.value = b;
          }}
        />
      ) : null}
    </div>
  );
}
