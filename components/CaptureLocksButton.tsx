import { useSignal } from '@preact/signals';
import type { CapturedLock } from '../lib/messages.ts';
import { describeError } from './describe-error.ts';
import { StatusMessage, type Notice } from './StatusMessage.tsx';
import { useUi } from './ui-context.ts';

/** On a lock list page: records every lock ID + title found in the list's links at once. */
export function CaptureLocksButton({ locks }: { locks: CapturedLock[] }) {
  const { t, send } = useUi();
  const busy = useSignal(false);
  const notice = useSignal<Notice | null>(null);

  async function capture() {
    busy.value = true;
    const count = locks.length;
    notice.value = { tone: 'info', text: t('tapkey.capture.capturing', { count }) };
    try {
      const result = await send({ type: 'captureLocks', locks });
      notice.value =
        result.status === 'saved'
          ? { tone: 'success', text: t('tapkey.capture.done', { count, created: result.created, known: result.updated + result.unchanged }) }
          : { tone: 'info', text: t('tapkey.capture.queued', { count }) };
    } catch (error) {
      notice.value = { tone: 'error', text: describeError(t, error) };
    } finally {
      busy.value = false;
    }
  }

  return (
    <section class="ab-panel" aria-label={t('tapkey.panel.label')}>
      <p class="ab-current">{t('tapkey.capture.found', { count: locks.length })}</p>
      <div class="ab-actions">
        <button type="button" class="ab-primary" disabled={busy.value} onClick={() => void capture()}>
          {t('tapkey.capture.button')}
        </button>
      </div>
      <StatusMessage notice={notice.value} />
    </section>
  );
}
