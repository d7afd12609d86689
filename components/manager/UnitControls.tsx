import { useSignal } from '@preact/signals';
import { useEffect, useRef } from 'preact/hooks';
import type { Mapping } from '../../lib/contract.ts';
import type { UnitPageData } from '../../lib/site-profile/index.ts';
import { describeError } from '../describe-error.ts';
import { StatusMessage, type Notice } from '../StatusMessage.tsx';
import { useUi } from '../ui-context.ts';
import { useManagerDialogs } from './dialogs.ts';
import type { LockMapResult } from './LockPickerDialog.tsx';

type UnitSync = { status: 'sending' } | { status: 'ready' } | { status: 'failed'; reason: string };
type MappingState =
  | { status: 'loading' }
  | { status: 'unknown' }
  | { status: 'ready'; mapping: Mapping | null; queuedLock: string | null };

const lockName = (lock: { title: string; id: string }) => lock.title || lock.id;

/**
 * On a unit page: sends the unit to the API (so it can be mapped and imported by name), shows
 * its lock, and offers "Map to Tapkey lock" and "Unmap". Render with `key={externalId}` so
 * another unit starts fresh.
 */
export function UnitControls({ unit }: { unit: UnitPageData }) {
  const { t, send } = useUi();
  const { LockPicker } = useManagerDialogs();
  const sync = useSignal<UnitSync>({ status: 'sending' });
  const mapping = useSignal<MappingState>({ status: 'loading' });
  const open = useSignal(false);
  const busy = useSignal(false);
  const notice = useSignal<Notice | null>(null);
  const openerRef = useRef<HTMLButtonElement>(null);

  async function load() {
    sync.value = { status: 'sending' };
    mapping.value = { status: 'loading' };
    try {
      await send({ type: 'upsertUnit', unit });
      sync.value = { status: 'ready' };
    } catch (error) {
      sync.value = { status: 'failed', reason: describeError(t, error) };
      mapping.value = { status: 'unknown' };
      return;
    }
    try {
      const { mapping: m } = await send({ type: 'unitMapping', unitExternalId: unit.externalId });
      mapping.value = { status: 'ready', mapping: m, queuedLock: null };
    } catch (error) {
      mapping.value = { status: 'unknown' };
      notice.value = { tone: 'error', text: describeError(t, error) };
    }
  }

  useEffect(() => {
    void load();
  }, [unit.externalId, unit.name, unit.location]);

  function closed(result: LockMapResult | null) {
    open.value = false;
    openerRef.current?.focus();
    if (!result) return;
    const lock = lockName(result.lock);
    if (result.kind === 'saved') {
      mapping.value = { status: 'ready', mapping: result.mapping, queuedLock: null };
      notice.value = { tone: 'success', text: t('manager.unit.saved', { unit: unit.name, lock }) };
    } else {
      const previous = mapping.value.status === 'ready' ? mapping.value.mapping : null;
      mapping.value = { status: 'ready', mapping: previous, queuedLock: lock };
      notice.value = { tone: 'info', text: t('manager.unit.queued', { lock }) };
    }
  }

  async function unmap() {
    busy.value = true;
    notice.value = { tone: 'info', text: t('manager.unit.unmapping') };
    try {
      await send({ type: 'unmapUnit', unitExternalId: unit.externalId });
      mapping.value = { status: 'ready', mapping: null, queuedLock: null };
      notice.value = { tone: 'success', text: t('manager.unit.unmapped', { unit: unit.name }) };
      openerRef.current?.focus();
    } catch (error) {
      notice.value = { tone: 'error', text: describeError(t, error) };
    } finally {
      busy.value = false;
    }
  }

  const s = sync.value;
  const m = mapping.value;
  const current = m.status === 'ready' ? m.mapping : null;
  const line =
    s.status === 'sending'
      ? t('manager.unit.sending', { unit: unit.name })
      : m.status !== 'ready'
        ? null
        : m.queuedLock
          ? t('manager.unit.queuedTo', { lock: m.queuedLock })
          : current
            ? t('manager.unit.mappedTo', { unit: unit.name, lock: lockName(current.lock) })
            : t('manager.unit.notMapped', { unit: unit.name });

  return (
    <div class="ab-unit-controls">
      {line ? <p class="ab-current">{line}</p> : null}
      <div class="ab-actions">
        <button
          ref={openerRef}
          type="button"
          class="ab-primary"
          aria-haspopup="dialog"
          disabled={s.status !== 'ready' || busy.value}
          onClick={() => (open.value = true)}
        >
          {t('manager.unit.map')}
        </button>
        {current ? (
          <button
            type="button"
            disabled={busy.value}
            aria-label={t('manager.unit.unmapLabel', { unit: unit.name, lock: lockName(current.lock) })}
            onClick={() => void unmap()}
          >
            {t('manager.unit.unmap')}
          </button>
        ) : null}
        {s.status === 'failed' ? (
          <button type="button" onClick={() => void load()}>
            {t('common.retry')}
          </button>
        ) : null}
      </div>
      <StatusMessage notice={s.status === 'failed' ? { tone: 'error', text: t('manager.unit.failed', { unit: unit.name, reason: s.reason }) } : notice.value} />
      {open.value ? <LockPicker unit={unit} current={current} onClose={closed} /> : null}
    </div>
  );
}
