import { useSignal } from '@preact/signals';
import { useLayoutEffect, useRef } from 'preact/hooks';
import type { ResponseMap } from '../lib/messages.ts';
import { describeError } from './describe-error.ts';
import type { LockOnPage, MapResult } from './MapLockDialog.tsx';
import { usePortalDialogs } from './portal/dialogs.ts';
import { StatusMessage, type Notice } from './StatusMessage.tsx';
import { useUi } from './ui-context.ts';

type MappingState = { status: 'loading' } | { status: 'unknown' } | ({ status: 'ready' } & ResponseMap['getMappingForLock']);

/**
 * The control on a lock's detail page: where the lock is mapped now, "Map to Tapkey lock"
 * (opens the dialog) and "Copy lock ID". Render it with `key={lock.id}` so a new lock starts
 * fresh. The dialog comes from the host (components/portal/dialogs.ts).
 */
export function MapLockButton({ lock }: { lock: LockOnPage }) {
  const { t, send } = useUi();
  const { MapLock } = usePortalDialogs();
  const mapping = useSignal<MappingState>({ status: 'loading' });
  const open = useSignal(false);
  const notice = useSignal<Notice | null>(null);
  const openerRef = useRef<HTMLButtonElement>(null);

  async function refresh() {
    try {
      mapping.value = { status: 'ready', ...(await send({ type: 'getMappingForLock', lockId: lock.id })) };
    } catch (error) {
      // The button still works (the dialog reports its own errors); say why the line is empty.
      mapping.value = { status: 'unknown' };
      notice.value = { tone: 'error', text: describeError(t, error) };
    }
  }

  // Asked as the control is put in the page, not a frame later: the line under the button
  // is the first thing the admin reads.
  useLayoutEffect(() => {
    void refresh();
  }, [lock.id]);

  function close(result: MapResult | null) {
    open.value = false;
    openerRef.current?.focus();
    if (!result) return;
    if (result.kind === 'saved') {
      mapping.value = { status: 'ready', mapping: result.mapping, stale: false, queued: null };
      notice.value = { tone: 'success', text: t('tapkey.save.done', { title: lock.title || lock.id, unit: result.unit.name }) };
    } else {
      const previous = mapping.value.status === 'ready' ? mapping.value.mapping : null;
      mapping.value = { status: 'ready', mapping: previous, stale: true, queued: { unitExternalId: result.unit.externalId, unitName: result.unit.name } };
      notice.value = { tone: 'info', text: t('tapkey.save.queued', { unit: result.unit.name }) };
    }
  }

  async function copy() {
    try {
      await navigator.clipboard.writeText(lock.id);
      notice.value = { tone: 'success', text: t('tapkey.copy.done', { lockId: lock.id }) };
    } catch {
      notice.value = { tone: 'error', text: t('tapkey.copy.failed', { lockId: lock.id }) };
    }
  }

  const m = mapping.value;
  const line =
    m.status === 'loading'
      ? t('common.loading')
      : m.status === 'unknown'
        ? null
        : m.queued
          ? t('tapkey.map.queuedTo', { unit: m.queued.unitName ?? m.queued.unitExternalId })
          : m.mapping
            ? t('tapkey.map.mappedTo', { unit: m.mapping.unit.name })
            : m.stale
              ? null
              : t('tapkey.map.notMapped');

  return (
    <section class="ab-panel" aria-label={t('tapkey.panel.label')} data-lock-id={lock.id}>
      {line ? <p class="ab-current">{line}</p> : null}
      <div class="ab-actions">
        <button ref={openerRef} type="button" class="ab-primary" aria-haspopup="dialog" onClick={() => (open.value = true)}>
          {t('tapkey.map.button')}
        </button>
        <button type="button" onClick={() => void copy()}>
          {t('tapkey.copy.button')}
        </button>
      </div>
      <StatusMessage notice={notice.value} />
      {open.value ? <MapLock lock={lock} current={m.status === 'ready' ? m.mapping : null} onClose={close} /> : null}
    </section>
  );
}
