import { useSignal } from '@preact/signals';
import { useEffect, useId, useRef } from 'preact/hooks';
import type { Mapping, MappingConflict } from '../../lib/contract.ts';
import type { LockChoice, ResponseMap } from '../../lib/messages.ts';
import type { UnitPageData } from '../../lib/site-profile.ts';
import { bridgeErrorOf, describeError } from '../describe-error.ts';
import { deepActiveElement, trapTab } from '../keycafe/focus.ts';
import { StatusMessage, type Notice } from '../StatusMessage.tsx';
import { useUi } from '../ui-context.ts';
import { LockPicker } from './LockPicker.tsx';

export type LockMapResult = { kind: 'saved'; lock: LockChoice; mapping: Mapping } | { kind: 'queued'; lock: LockChoice };

export interface LockPickerDialogProps {
  unit: UnitPageData;
  /** The unit's mapping now, if known. */
  current: Mapping | null;
  onClose: (result: LockMapResult | null) => void;
}

type LocksState = { status: 'loading' } | { status: 'error' } | ({ status: 'ready' } & ResponseMap['listLocks']);

const lockName = (lock: { title: string; id: string }) => lock.title || lock.id;

/**
 * "Map to Tapkey lock" on a unit page: the locks with the best matches for the unit's name
 * first, one click to map, and a conflict (lock or unit mapped elsewhere) explained with
 * "Replace". Modal: focus stays inside until it closes, then returns to the opener.
 */
export function LockPickerDialog({ unit, current, onClose }: LockPickerDialogProps) {
  const { t, send } = useUi();
  const locks = useSignal<LocksState>({ status: 'loading' });
  const busyLockId = useSignal<string | null>(null);
  const conflict = useSignal<{ lock: LockChoice; details: MappingConflict } | null>(null);
  const notice = useSignal<Notice | null>(null);
  const dialogRef = useRef<HTMLDivElement>(null);
  const searchRef = useRef<HTMLInputElement>(null);
  const titleId = useId();
  const descId = useId();

  async function load() {
    locks.value = { status: 'loading' };
    notice.value = null;
    try {
      locks.value = { status: 'ready', ...(await send({ type: 'listLocks', unitExternalId: unit.externalId })) };
    } catch (error) {
      locks.value = { status: 'error' };
      notice.value = { tone: 'error', text: describeError(t, error) };
    }
  }

  useEffect(() => {
    const opener = deepActiveElement();
    dialogRef.current?.focus();
    void load();
    return () => {
      if (opener?.isConnected) opener.focus();
    };
  }, []);

  const ready = locks.value.status === 'ready';
  useEffect(() => {
    if (ready) searchRef.current?.focus();
  }, [ready]);

  async function save(lock: LockChoice, replace: boolean) {
    busyLockId.value = lock.id;
    notice.value = { tone: 'info', text: t('manager.locks.saving') };
    try {
      const result = await send({ type: 'saveMapping', unitExternalId: unit.externalId, unitName: unit.name, lockId: lock.id, replace });
      onClose(result.status === 'saved' ? { kind: 'saved', lock, mapping: result.mapping } : { kind: 'queued', lock });
    } catch (error) {
      const e = bridgeErrorOf(error);
      if (e.code === 'conflict' && e.conflict) {
        conflict.value = { lock, details: e.conflict };
        notice.value = { tone: 'info', text: t('manager.conflict.title') };
      } else {
        notice.value = { tone: 'error', text: describeError(t, error) };
      }
    } finally {
      busyLockId.value = null;
    }
  }

  function onKeyDown(e: KeyboardEvent) {
    if (e.key === 'Escape') {
      e.preventDefault();
      onClose(null);
    } else if (dialogRef.current) trapTab(e, dialogRef.current);
  }

  const state = locks.value;
  const c = conflict.value;
  const unitTaken = c?.details.unitMappedTo && c.details.unitMappedTo.lockId !== c.lock.id ? c.details.unitMappedTo : null;
  const lockTaken = c?.details.lockMappedTo && c.details.lockMappedTo.unit.externalId !== unit.externalId ? c.details.lockMappedTo : null;
  return (
    <div class="ab-backdrop" onClick={(e) => e.target === e.currentTarget && onClose(null)}>
      <div
        ref={dialogRef}
        class="ab-dialog"
        role="dialog"
        aria-modal="true"
        aria-labelledby={titleId}
        aria-describedby={descId}
        aria-busy={state.status === 'loading'}
        tabIndex={-1}
        onKeyDown={onKeyDown}
      >
        <h2 id={titleId}>{t('manager.locks.title', { unit: unit.name })}</h2>
        <p id={descId}>
          {current ? t('manager.locks.current', { unit: unit.name, lock: lockName(current.lock) }) : t('manager.locks.currentNone', { unit: unit.name })}
        </p>

        {c ? (
          <div class="ab-conflict">
            {unitTaken ? <p>{t('manager.conflict.unit', { unit: unit.name, lock: lockName(unitTaken.lock), lockId: unitTaken.lockId })}</p> : null}
            {lockTaken ? <p>{t('manager.conflict.lock', { lock: lockName(c.lock), unit: lockTaken.unit.name })}</p> : null}
            <p>{t('manager.conflict.explain', { unit: unit.name, lock: lockName(c.lock) })}</p>
            <div class="ab-actions">
              <button type="button" class="ab-primary" disabled={busyLockId.value !== null} onClick={() => void save(c.lock, true)}>
                {t('manager.conflict.replace')}
              </button>
              <button
                type="button"
                onClick={() => {
                  conflict.value = null;
                  notice.value = null;
                }}
              >
                {t('manager.conflict.back')}
              </button>
            </div>
          </div>
        ) : state.status === 'loading' ? (
          <p class="ab-hint">{t('common.loading')}</p>
        ) : state.status === 'error' ? (
          <button type="button" onClick={() => void load()}>
            {t('common.retry')}
          </button>
        ) : (
          <>
            {state.truncated ? <p class="ab-hint">{t('manager.locks.truncated', { count: state.items.length, total: state.total })}</p> : null}
            <LockPicker
              locks={state.items}
              unitName={unit.name}
              unitExternalId={unit.externalId}
              busyLockId={busyLockId.value}
              onPick={(lock) => void save(lock, false)}
              inputRef={searchRef}
            />
          </>
        )}

        <StatusMessage notice={notice.value} />
        <div class="ab-actions ab-footer">
          <button type="button" onClick={() => onClose(null)}>
            {t('common.close')}
          </button>
        </div>
      </div>
    </div>
  );
}
