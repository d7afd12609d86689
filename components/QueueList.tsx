import { useSignal } from '@preact/signals';
import { useEffect, useId } from 'preact/hooks';
import type { QueueItemView, ResponseMap } from '../lib/messages.ts';
import { describeError } from './describe-error.ts';
import { StatusMessage, type Notice } from './StatusMessage.tsx';
import { useUi, type Translate } from './ui-context.ts';

type QueueState = { status: 'loading' } | ({ status: 'ready' } & ResponseMap['listQueue']);

function describeItem(t: Translate, item: QueueItemView): string {
  const op = item.op;
  if (op.kind === 'saveMapping') return t('options.queue.mapping', { lock: op.lock?.title || op.lockId, unit: op.unitName ?? op.unitExternalId });
  return t('options.queue.capture', { count: op.locks.length });
}

/** Changes made while the API was unreachable: waiting ones, and failed ones to retry or drop. */
export function QueueList({ version }: { version: number }) {
  const { t, send, lang } = useUi();
  const queue = useSignal<QueueState>({ status: 'loading' });
  const notice = useSignal<Notice | null>(null);
  const busy = useSignal(false);
  const headingId = useId();

  async function run(action: () => Promise<ResponseMap['listQueue']>, done?: (r: ResponseMap['listQueue']) => Notice | null) {
    busy.value = true;
    try {
      const result = await action();
      queue.value = { status: 'ready', ...result };
      if (done) notice.value = done(result);
    } catch (error) {
      notice.value = { tone: 'error', text: describeError(t, error) };
    } finally {
      busy.value = false;
    }
  }

  useEffect(() => {
    void run(() => send({ type: 'listQueue' }));
  }, [version]);

  const q = queue.value;
  const when = (iso: string) => new Date(iso).toLocaleString(lang);
  return (
    <section aria-labelledby={headingId}>
      <h2 id={headingId}>{t('options.queue.heading')}</h2>
      {q.status === 'loading' ? (
        <p class="hint">{t('common.loading')}</p>
      ) : !q.items.length ? (
        <p>{t('options.queue.empty')}</p>
      ) : (
        <>
          <p>{t('options.queue.counts', { pending: q.counts.pending, failed: q.counts.failed })}</p>
          <ul class="queue">
            {q.items.map((item) => (
              <li key={item.id} class={`queue-item queue-${item.state}`}>
                <p class="queue-what">{describeItem(t, item)}</p>
                <p class="hint">
                  {item.state === 'failed'
                    ? t('options.queue.failed', { message: item.lastError?.message ?? '' })
                    : t('options.queue.pending', { time: when(item.createdAt) })}
                </p>
                <div class="actions">
                  {item.state === 'failed' ? (
                    <button type="button" disabled={busy.value} aria-label={t('options.queue.retryItem', { what: describeItem(t, item) })} onClick={() => void run(() => send({ type: 'retryQueueItem', id: item.id }))}>
                      {t('common.retry')}
                    </button>
                  ) : null}
                  <button
                    type="button"
                    disabled={busy.value}
                    aria-label={t('options.queue.discardItem', { what: describeItem(t, item) })}
                    onClick={() => void run(() => send({ type: 'discardQueueItem', id: item.id }))}
                  >
                    {t('options.queue.discard')}
                  </button>
                </div>
              </li>
            ))}
          </ul>
          {q.counts.pending > 0 ? (
            <button
              type="button"
              disabled={busy.value}
              onClick={() =>
                void run(
                  () => send({ type: 'replayQueue' }),
                  (r) => (r.counts.pending ? { tone: 'error', text: t('options.queue.stillWaiting', { pending: r.counts.pending }) } : { tone: 'success', text: t('options.queue.sent') }),
                )
              }
            >
              {t('options.queue.sendNow')}
            </button>
          ) : null}
        </>
      )}
      <StatusMessage notice={notice.value} />
    </section>
  );
}
