import { useSignal } from '@preact/signals';
import { useEffect, useMemo, useRef } from 'preact/hooks';
import type { Mapping, MappingConflict } from '../../lib/contract.ts';
import type { UnitPageData } from '../../lib/site-profile.ts';
import { describeError } from '../describe-error.ts';
import { Dialog } from '../Dialog.tsx';
import { MappingConflictError, type LockChoice, type LockChoices, type MappingApi } from '../mapping/api.ts';
import { messageMappingApi } from '../mapping/message-api.ts';
import { Picker } from '../Picker.tsx';
import { StatusMessage, type Notice } from '../StatusMessage.tsx';
import { useUi } from '../ui-context.ts';

export type LockMapResult = { kind: 'saved'; lock: LockChoice; mapping: Mapping } | { kind: 'queued'; lock: LockChoice };

export interface LockPickerDialogProps {
  unit: UnitPageData;
  /** The unit's mapping now, if known. */
  current: Mapping | null;
  onClose: (result: LockMapResult | null) => void;
  /** Default: the background's messages. */
  api?: MappingApi;
}

type LocksState = { status: 'loading' } | { status: 'error' } | ({ status: 'ready' } & LockChoices);

const lockName = (lock: { title: string; id: string }) => lock.title || lock.id;

/**
 * "Map to Tapkey lock" on a unit page: the locks with the best matches for the unit's name
 * first, one click to map, and a conflict (lock or unit mapped elsewhere) explained with
 * "Replace".
 */
export function LockPickerDialog({ unit, current, onClose, api: givenApi }: LockPickerDialogProps) {
  const { t, send } = useUi();
  const api = useMemo(() => givenApi ?? messageMappingApi(send), [givenApi, send]);
  const locks = useSignal<LocksState>({ status: 'loading' });
  const busyLockId = useSignal<string | null>(null);
  const conflict = useSignal<{ lock: LockChoice; details: MappingConflict } | null>(null);
  const notice = useSignal<Notice | null>(null);
  const searchRef = useRef<HTMLInputElement>(null);

  async function load() {
    locks.value = { status: 'loading' };
    notice.value = null;
    try {
      locks.value = { status: 'ready', ...(await api.locks('')) };
    } catch (error) {
      locks.value = { status: 'error' };
      notice.value = { tone: 'error', text: describeError(t, error) };
    }
  }

  useEffect(() => void load(), []);

  const ready = locks.value.status === 'ready';
  useEffect(() => {
    if (ready) searchRef.current?.focus();
  }, [ready]);

  async function save(lock: LockChoice, replace: boolean) {
    busyLockId.value = lock.id;
    notice.value = { tone: 'info', text: t('mapping.saving') };
    try {
      const result = await api.save({ unitExternalId: unit.externalId, unitName: unit.name, lockId: lock.id, replace });
      onClose(result.status === 'saved' ? { kind: 'saved', lock, mapping: result.mapping } : { kind: 'queued', lock });
    } catch (error) {
      if (error instanceof MappingConflictError) {
        conflict.value = { lock, details: error.conflict };
        notice.value = { tone: 'info', text: t('manager.conflict.title') };
      } else {
        notice.value = { tone: 'error', text: describeError(t, error) };
      }
    } finally {
      busyLockId.value = null;
    }
  }

  const state = locks.value;
  const c = conflict.value;
  const choices = useMemo(() => (state.status === 'ready' ? lockChoices(state.items, unit.externalId, t) : []), [state, unit.externalId, t]);
  const unitTaken = c?.details.unitMappedTo && c.details.unitMappedTo.lockId !== c.lock.id ? c.details.unitMappedTo : null;
  const lockTaken = c?.details.lockMappedTo && c.details.lockMappedTo.unit.externalId !== unit.externalId ? c.details.lockMappedTo : null;
  return (
    <Dialog
      title={t('manager.locks.title', { unit: unit.name })}
      description={current ? t('manager.locks.current', { unit: unit.name, lock: lockName(current.lock) }) : t('manager.locks.currentNone', { unit: unit.name })}
      busy={state.status === 'loading'}
      onClose={() => onClose(null)}
    >
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
          <Picker
            kind="lock"
            items={choices}
            target={unit.name}
            sortByMatch
            busyId={busyLockId.value}
            onPick={(choice) => void save(choice.lock, false)}
            inputRef={searchRef}
          />
        </>
      )}

      <StatusMessage notice={notice.value} />
    </Dialog>
  );
}

/** Locks as picker items, tagged with the unit each is mapped to and where it came from. */
export function lockChoices(locks: LockChoice[], unitExternalId: string, t: ReturnType<typeof useUi>['t']) {
  return locks.map((lock) => {
    const mine = lock.mappedTo?.externalId === unitExternalId;
    const tags = [
      ...(mine ? [t('mapping.tag.current')] : []),
      ...(lock.mappedTo && !mine ? [t('mapping.tag.mapped', { unit: lock.mappedTo.name })] : []),
      ...(lock.source === 'captured' ? [t('mapping.tag.captured')] : []),
    ];
    return { id: lock.id, lock, label: lockName(lock), searchable: [lock.id], tags };
  });
}
