import { useId } from 'preact/hooks';
import type { KeycafeBooking } from '../../lib/contract.ts';
import { safeLinkUrl } from '../../lib/safe-url.ts';
import { useUi } from '../ui-context.ts';
import { accessStateText, isSettling, keysText, recipientText, whenText } from './booking-text.ts';
import { CopyButton } from './CopyButton.tsx';

export interface BookingResultProps {
  booking: KeycafeBooking;
  /** A retry of the failed keys is under way. */
  retrying: boolean;
  onRetry: () => void;
  onCopied: (copied: boolean) => void;
  /** Codes are not sent to this host (a page's scripts could read them): say where they are. */
  codesHidden?: boolean;
}

/**
 * A booking after submit: each key with its state while Keycafe works through them (the
 * outbox creates one access per key), then the booking codes with copy buttons, or which
 * keys failed and why, with a retry.
 */
export function BookingResult({ booking, retrying, onRetry, onCopied, codesHidden = false }: BookingResultProps) {
  const { t, lang } = useUi();
  const headingId = useId();
  const total = booking.accesses.length;
  const done = booking.accesses.filter((a) => a.state !== 'pending').length;
  const failed = booking.accesses.filter((a) => a.state === 'failed');
  const codes = booking.accesses.filter((a) => a.bookingCode);
  const settling = isSettling(booking);

  const heading = settling
    ? t('kcui.result.working')
    : booking.state === 'active'
      ? t('kcui.result.granted')
      : booking.state === 'cancelled'
        ? t('kcui.state.cancelled')
        : t('kcui.result.notAll');

  return (
    <section class="ab-result" aria-labelledby={headingId}>
      <h3 id={headingId}>{heading}</h3>
      <p class="ab-hint">
        {t('kcui.result.summary', { recipient: recipientText(booking), keys: keysText(t, booking), when: whenText(t, lang, booking) })}
      </p>
      {total > 0 ? (
        <>
          {settling ? (
            <>
              <label class="ab-progress-label" for={`${headingId}-progress`}>
                {t('kcui.result.progress', { done, total })}
              </label>
              <progress id={`${headingId}-progress`} max={total} value={done} />
            </>
          ) : null}
          <ul class="ab-accesses" aria-label={t('kcui.result.perKey')}>
            {booking.accesses.map((a) => {
              // Checked here too: whatever a host's API answered, only an https link is a link.
              const checkin = safeLinkUrl(a.checkinLink);
              return (
                <li key={a.keyId} class={`ab-access ab-${a.state}`}>
                  <span class="ab-access-key">{a.keyName}</span>
                  <span class="ab-access-state">{accessStateText(t, a)}</span>
                  {a.bookingCode ? (
                    <span class="ab-code-row">
                      {t('kcui.result.code')} <code class="ab-code">{a.bookingCode}</code>
                      <CopyButton text={a.bookingCode} label={t('kcui.result.copyCode', { key: a.keyName })} onResult={onCopied} />
                    </span>
                  ) : null}
                  {checkin ? (
                    <a href={checkin} target="_blank" rel="noopener noreferrer">
                      {t('kcui.result.checkin', { key: a.keyName })}
                    </a>
                  ) : null}
                  {a.state === 'failed' && a.reason ? <span class="ab-access-reason">{t('kcui.result.reason', { reason: a.reason })}</span> : null}
                </li>
              );
            })}
          </ul>
        </>
      ) : booking.allKeys ? (
        <p>{t('kcui.result.allKeysLater')}</p>
      ) : null}
      {codesHidden && booking.accesses.some((a) => a.state === 'active') ? <p class="ab-hint">{t('isolation.codesInPopup')}</p> : null}
      {booking.requireVisitorId || booking.photoVerification || booking.visitors > 1 ? (
        <p class="ab-hint" data-testid="visitor-checks-recorded">
          {t('kcconnect.visitors.recorded', {
            checks: [
              booking.requireVisitorId && t('kcconnect.visitors.id'),
              booking.visitors > 1 && t('kcconnect.visitors.count', { count: booking.visitors }),
              booking.photoVerification && t('kcconnect.visitors.photo'),
            ]
              .filter(Boolean)
              .join(', '),
          })}
        </p>
      ) : null}
      {!settling && codes.length > 1 ? (
        <CopyButton
          text={codes.map((a) => `${a.keyName}: ${a.bookingCode}`).join('\n')}
          label={t('kcui.result.copyAll')}
          onResult={onCopied}
        />
      ) : null}
      {!settling && failed.length > 0 ? (
        <div class="ab-actions">
          <button type="button" class="ab-primary" disabled={retrying} onClick={onRetry}>
            {t('kcui.result.retry', { count: failed.length })}
          </button>
        </div>
      ) : null}
    </section>
  );
}
