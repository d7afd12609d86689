import { useSignal } from '@preact/signals';
import { useEffect, useMemo, useRef } from 'preact/hooks';
import type { Mapping, MappingConflict, Unit } from '../lib/contract.ts';
import { describeError } from './describe-error.ts';
import { Dialog } from './Dialog.tsx';
import { MappingConflictError, type UnitChoices, type UnitMappingApi } from './mapping/api.ts';
import { messageMappingApi } from './mapping/message-api.ts';
import { Picker } from './Picker.tsx';
import { StatusMessage, type Notice } from './StatusMessage.tsx';
import { useUi } from './ui-context.ts';

export interface LockOnPage {
  id: string;
  title: string;
  pageUrl: string;
}

export type MapResult = { kind: 'saved'; unit: Unit; mapping: Mapping } | { kind: 'queued'; unit: Unit };

export interface MapLockDialogProps {
  lock: LockOnPage;
  /** The unit this lock is mapped to now, if known. */
  current: Mapping | null;
  onClose: (result: MapResult | null) => void;
  /** Default: the background's messages. */
  api?: UnitMappingApi;
}

type UnitsState = { status: 'loading' } | { status: 'error' } | ({ status: 'ready' } & UnitChoices);

/**
 * "Map to Tapkey lock" on a portal lock page: loads the units, suggests the best matches for
 * the lock's title, saves on one click, and explains a conflict with a choice to replace.
 */
export function MapLockDialog({ lock, current, onClose, api: givenApi }: MapLockDialogProps) {
  const { t, send } = useUi();
  const api = useMemo(() => givenApi ?? messageMappingApi(send), [givenApi, send]);
  const units = useSignal<UnitsState>({ status: 'loading' });
  const busyUnitId = useSignal<string | null>(null);
  const conflict = useSignal<{ unit: Unit; details: MappingConflict } | null>(null);
  const notice = useSignal<Notice | null>(null);
  const searchRef = useRef<HTMLInputElement>(null);

  async function load() {
    units.value = { status: 'loading' };
    notice.value = null;
    try {
      units.value = { status: 'ready', ...(await api.units()) };
    } catch (error) {
      units.value = { status: 'error' };
      notice.value = { tone: 'error', text: describeError(t, error) };
    }
  }

  useEffect(() => void load(), []);

  // Once the list is there, typing should search right away.
  const ready = units.value.status === 'ready';
  useEffect(() => {
    if (ready) searchRef.current?.focus();
  }, [ready]);

  async function save(unit: Unit, replace: boolean) {
    busyUnitId.value = unit.id;
    notice.value = { tone: 'info', text: t('mapping.saving') };
    try {
      const result = await api.save({
        unitExternalId: unit.externalId,
        unitName: unit.name,
        lockId: lock.id,
        replace,
        lock: { title: lock.title, pageUrl: lock.pageUrl },
      });
      onClose(result.status === 'saved' ? { kind: 'saved', unit, mapping: result.mapping } : { kind: 'queued', unit });
    } catch (error) {
      if (error instanceof MappingConflictError) {
        conflict.value = { unit, details: error.conflict };
        notice.value = { tone: 'info', text: t('tapkey.conflict.title') };
      } else {
        notice.value = { tone: 'error', text: describeError(t, error) };
      }
    } finally {
      busyUnitId.value = null;
    }
  }

  const state = units.value;
  const c = conflict.value;
  const choices = useMemo(
    () =>
      (state.status === 'ready' ? state.items : []).map((unit) => ({
        id: unit.id,
        unit,
        label: unit.name,
        searchable: [unit.externalId],
        tags: unit.id === current?.unitId ? [t('mapping.tag.current')] : [],
      })),
    [state, current, t],
  );
  return (
    <Dialog
      title={t('tapkey.dialog.title', { title: lock.title || lock.id })}
      description={current ? t('tapkey.dialog.current', { unit: current.unit.name }) : t('tapkey.dialog.currentNone')}
      busy={state.status === 'loading'}
      onClose={() => onClose(null)}
    >
      <p class="ab-hint">{t('tapkey.dialog.lockId', { lockId: lock.id })}</p>

      {c ? (
        <div class="ab-conflict">
          {c.details.unitMappedTo && c.details.unitMappedTo.lockId !== lock.id ? (
            <p>
              {t('tapkey.conflict.unit', {
                unit: c.unit.name,
                lock: c.details.unitMappedTo.lock.title || c.details.unitMappedTo.lockId,
                lockId: c.details.unitMappedTo.lockId,
              })}
            </p>
          ) : null}
          {c.details.lockMappedTo && c.details.lockMappedTo.unit.externalId !== c.unit.externalId ? (
            <p>{t('tapkey.conflict.lock', { unit: c.details.lockMappedTo.unit.name })}</p>
          ) : null}
          <p>{t('tapkey.conflict.explain', { unit: c.unit.name })}</p>
          <div class="ab-actions">
            <button type="button" class="ab-primary" disabled={busyUnitId.value !== null} onClick={() => void save(c.unit, true)}>
              {t('tapkey.conflict.replace')}
            </button>
            <button
              type="button"
              onClick={() => {
                conflict.value = null;
                notice.value = null;
              }}
            >
              {t('tapkey.conflict.back')}
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
          {state.stale ? <p class="ab-warning">{t('tapkey.dialog.stale')}</p> : null}
          {state.truncated ? <p class="ab-hint">{t('tapkey.dialog.truncated', { count: state.items.length, total: state.total })}</p> : null}
          <Picker
            kind="unit"
            items={choices}
            target={lock.title}
            busyId={busyUnitId.value}
            onPick={(choice) => void save(choice.unit, false)}
            inputRef={searchRef}
          />
        </>
      )}

      <StatusMessage notice={notice.value} />
    </Dialog>
  );
}
