import { useSignal } from '@preact/signals';
import { problemText } from '../../lib/site-profile/problems.ts';
import type { ListReading } from '../../lib/site-profile-list.ts';
import { describeError } from '../describe-error.ts';
import { StatusMessage, type Notice } from '../StatusMessage.tsx';
import { useUi } from '../ui-context.ts';

/**
 * On a manager booking list page: sends every booking the list shows at once, by the manager's
 * booking id, and says how many were new, changed and unchanged (and which were not taken).
 * Like "Capture all locks" on the portal (components/CaptureLocksButton.tsx).
 */
export function CaptureBookingsButton({ list }: { list: ListReading }) {
  const { t, send } = useUi();
  const busy = useSignal(false);
  const notice = useSignal<Notice | null>(null);
  const count = list.bookings.length;

  async function capture() {
    busy.value = true;
    notice.value = { tone: 'info', text: t('bookings.capture.capturing', { count }) };
    try {
      const { result } = await send({
        type: 'captureBookings',
        bookings: list.bookings.map(({ tenantName: _name, ...b }) => b),
      });
      const done = t('bookings.capture.done', { count: result.total, created: result.created, changed: result.changed, unchanged: result.unchanged });
      const first = result.refused[0];
      notice.value = first
        ? { tone: 'error', text: `${done} ${t('bookings.capture.refused', { count: result.refused.length, first: `${first.externalId}: ${first.message}` })}` }
        : { tone: 'success', text: done };
    } catch (error) {
      notice.value = { tone: 'error', text: describeError(t, error) };
    } finally {
      busy.value = false;
    }
  }

  const firstFailed = list.failed[0];
  return (
    <section class={`ab-panel${list.anchor ? ' ab-floating' : ''}`} aria-label={t('bookings.capture.label')}>
      <p class="ab-current">{list.tooMany ? t('bookings.capture.tooMany') : t('bookings.capture.found', { count })}</p>
      {firstFailed ? (
        <p class="ab-hint">{t('bookings.capture.unreadable', { count: list.failed.length, problem: problemText(t, firstFailed.problems[0]!) })}</p>
      ) : null}
      {count > 0 ? (
        <div class="ab-actions">
          <button type="button" class="ab-primary" disabled={busy.value} onClick={() => void capture()}>
            {t('bookings.capture.button')}
          </button>
        </div>
      ) : !list.tooMany ? (
        <p class="ab-hint">{t('bookings.capture.none')}</p>
      ) : null}
      <StatusMessage notice={notice.value} />
    </section>
  );
}
