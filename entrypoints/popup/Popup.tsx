import { useSignal, type Signal } from '@preact/signals';
import { useEffect, useId, useRef } from 'preact/hooks';
import type { KeycafeApi } from '../../components/keycafe/api.ts';
import { bookingStateText, keysText, recipientText, whenText } from '../../components/keycafe/booking-text.ts';
import type { BookingDraft, KeycafeLocale } from '../../components/keycafe/draft.ts';
import { useUi } from '../../components/ui-context.ts';
import type { KeycafeBooking } from '../../lib/contract.ts';
import type { ConnectionState, PopupRecent } from '../../lib/messages.ts';
import type { QueueCounts } from '../../lib/queue.ts';

export interface PopupConnection {
  state: ConnectionState;
  organizationName: string | null;
  checkedAt: string | null;
  /** Known once the background answered (not in the cached state). */
  queue: QueueCounts | null;
}

export interface PopupLastChoice {
  keyId: string;
  keyName: string;
  locale: string;
}

export interface PopupProps {
  connection: Signal<PopupConnection>;
  recent: Signal<{ data: PopupRecent | null; fresh: boolean; error: string | null }>;
  lastChoice: Signal<PopupLastChoice | null>;
  /** The booking dialog and its API, loaded on demand: they are not needed to paint the popup. */
  loadDialog: () => Promise<PopupDialog>;
  openOptions: () => void;
  /** Opens the AccessBridge admin page in a tab. */
  openAdmin?: () => void;
  /** After a booking: remember the key and language, refresh the lists. */
  onBooked: (booking: KeycafeBooking, draft: BookingDraft) => void;
  onDialogClosed: () => void;
}

export interface PopupDialog {
  BookingDialog: typeof import('../../components/keycafe/BookingDialog.tsx').BookingDialog;
  api: KeycafeApi;
}

const stateKey = {
  connected: 'kcui.popup.state.connected',
  not_configured: 'kcui.popup.state.notConfigured',
  unknown: 'kcui.popup.state.unknown',
  unauthorized: 'kcui.popup.state.unauthorized',
  unreachable: 'kcui.popup.state.unreachable',
  error: 'kcui.popup.state.error',
} as const;

/**
 * The toolbar popup: connection state, a quick Keycafe booking (the same dialog as on manager
 * pages, starting from the last key and language used), and the latest bookings and captured
 * locks. Everything it shows first comes from storage; the background refreshes it after.
 */
export function Popup({ connection, recent, lastChoice, loadDialog, openOptions, openAdmin, onBooked, onDialogClosed }: PopupProps) {
  const { t, lang } = useUi();
  const open = useSignal(false);
  const dialog = useSignal<PopupDialog | null>(null);
  const dialogError = useSignal<string | null>(null);
  const connId = useId();
  const quickId = useId();
  const bookingsId = useId();
  const capturesId = useId();
  const openButton = useRef<HTMLButtonElement>(null);
  /** The dialog replaces the popup's content; when it closes, focus goes back to its button. */
  const returnFocus = useRef(false);

  useEffect(() => {
    if (open.value || !returnFocus.current) return;
    returnFocus.current = false;
    openButton.current?.focus();
  }, [open.value]);

  const c = connection.value;
  const r = recent.value;
  const last = lastChoice.value;
  const stateText =
    c.state === 'connected' && !c.organizationName ? t('kcui.popup.state.connectedUnknown') : t(stateKey[c.state], { organization: c.organizationName ?? '' });
  const checked = c.checkedAt ? new Date(c.checkedAt).toLocaleString(lang, { dateStyle: 'short', timeStyle: 'short' }) : null;

  function openDialog() {
    open.value = true;
    dialogError.value = null;
    loadDialog().then(
      (d) => (dialog.value = d),
      (error: unknown) => {
        open.value = false;
        dialogError.value = error instanceof Error ? error.message : String(error);
      },
    );
  }

  const d = dialog.value;
  if (open.value && !d) return <p class="ab-hint">{t('common.loading')}</p>;
  if (open.value && d)
    return (
      <d.BookingDialog
        api={d.api}
        prefill={last ? { keyRefs: [last.keyId], locale: last.locale as KeycafeLocale } : undefined}
        onBooked={onBooked}
        onClose={() => {
          returnFocus.current = true;
          open.value = false;
          onDialogClosed();
        }}
      />
    );

  return (
    <div class="ab-popup">
      <header>
        <h1>{t('kcui.popup.title')}</h1>
        <button type="button" onClick={openOptions}>
          {t('kcui.popup.options')}
        </button>
        {openAdmin ? (
          <button type="button" onClick={openAdmin}>
            {t('admin.open')}
          </button>
        ) : null}
      </header>

      <section aria-labelledby={connId}>
        <h2 id={connId}>{t('kcui.popup.connection')}</h2>
        <p role="status" class={`ab-state ${c.state === 'connected' ? 'ab-state-connected' : c.state === 'unknown' ? '' : 'ab-state-bad'}`}>
          {stateText}
        </p>
        {checked ? <p class="ab-hint">{t('kcui.popup.checkedAt', { time: checked })}</p> : null}
        {c.queue && c.queue.pending + c.queue.failed > 0 ? <p class="ab-hint">{t('kcui.popup.queue', { pending: c.queue.pending, failed: c.queue.failed })}</p> : null}
      </section>

      <section aria-labelledby={quickId}>
        <h2 id={quickId}>{t('kcui.popup.quick')}</h2>
        <div class="ab-quick">
          <button ref={openButton} type="button" class="ab-primary" disabled={c.state === 'not_configured'} onClick={openDialog}>
            {t('kcui.open')}
          </button>
          {last ? <span class="ab-hint">{t('kcui.popup.lastKey', { key: last.keyName })}</span> : null}
        </div>
        {dialogError.value ? (
          <p role="alert" class="ab-state-bad">
            {t('common.error.unknown', { message: dialogError.value })}
          </p>
        ) : null}
      </section>

      {!r.fresh && r.data ? <p class="ab-hint">{t('kcui.popup.stale')}</p> : null}
      {r.error ? (
        <p role="alert" class="ab-state-bad">
          {t('kcui.popup.refreshFailed', { message: r.error })}
        </p>
      ) : null}

      <section aria-labelledby={bookingsId}>
        <h2 id={bookingsId}>{t('kcui.popup.recentBookings')}</h2>
        {r.data === null ? (
          <p class="ab-hint">{t('common.loading')}</p>
        ) : r.data.bookings.length === 0 ? (
          <p class="ab-empty">{t('kcui.popup.noBookings')}</p>
        ) : (
          <ul>
            {r.data.bookings.map((b) => {
              const codes = b.accesses.map((a) => a.bookingCode).filter(Boolean);
              return (
                <li key={b.id}>
                  <span class="ab-strong">{recipientText(b)}</span>
                  <span>{keysText(t, b)}</span>
                  <span class="ab-tag">{bookingStateText(t, b)}</span>
                  <span class="ab-hint">{whenText(t, lang, b)}</span>
                  {codes.length ? <span class="ab-mono">{codes.join(', ')}</span> : null}
                </li>
              );
            })}
          </ul>
        )}
      </section>

      <section aria-labelledby={capturesId}>
        <h2 id={capturesId}>{t('kcui.popup.recentCaptures')}</h2>
        {r.data === null ? (
          <p class="ab-hint">{t('common.loading')}</p>
        ) : r.data.captures.length === 0 ? (
          <p class="ab-empty">{t('kcui.popup.noCaptures')}</p>
        ) : (
          <ul>
            {r.data.captures.map((l) => (
              <li key={l.id}>
                <span class="ab-strong">{l.title || l.id}</span>
                <span class="ab-mono">{l.id}</span>
              </li>
            ))}
          </ul>
        )}
      </section>

    </div>
  );
}
