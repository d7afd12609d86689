import { useSignal } from '@preact/signals';
import { useEffect, useId, useRef } from 'preact/hooks';
import type { Mapping, MappingConflict, Unit } from '../lib/contract.ts';
import type { ResponseMap } from '../lib/messages.ts';
import { bridgeErrorOf, describeError } from './describe-error.ts';
import { StatusMessage, type Notice } from './StatusMessage.tsx';
import { UnitPicker } from './UnitPicker.tsx';
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
}

type UnitsState =
  | { status: 'loading' }
  | { status: 'error' }
  | ({ status: 'ready' } & ResponseMap['listUnits']);

const FOCUSABLE = 'button:not([disabled]), input:not([disabled]), select:not([disabled]), a[href], [tabindex]:not([tabindex="-1"])';

/**
 * The "Map to Tapkey lock" dialog: loads the units, suggests the best matches, saves on one
 * click, and explains a conflict with a choice to replace. Modal: focus stays inside until
 * it closes (Escape, Close, or a save), then the opener gets it back.
 */
export function MapLockDialog({ lock, current, onClose }: MapLockDialogProps) {
  const { t, send } = useUi();
  const units = useSignal<UnitsState>({ status: 'loading' });
  const busyUnitId = useSignal<string | null>(null);
  const conflict = useSignal<{ unit: Unit; details: MappingConflict } | null>(null);
  const notice = useSignal<Notice | null>(null);
  const dialogRef = useRef<HTMLDivElement>(null);
  const searchRef = useRef<HTMLInputElement>(null);
  const titleId = useId();
  const descId = useId();

  async function load() {
    units.value = { status: 'loading' };
    notice.value = null;
    try {
      units.value = { status: 'ready', ...(await send({ type: 'listUnits' })) };
    } catch (error) {
      units.value = { status: 'error' };
      notice.value = { tone: 'error', text: describeError(t, error) };
    }
  }

  useEffect(() => {
    dialogRef.current?.focus();
    void load();
  }, []);

  // Once the list is there, typing should search right away.
  const ready = units.value.status === 'ready';
  useEffect(() => {
    if (ready) searchRef.current?.focus();
  }, [ready]);

  async function save(unit: Unit, replace: boolean) {
    busyUnitId.value = unit.id;
    notice.value = { tone: 'info', text: t('tapkey.save.saving') };
    try {
      const result = await send({
        type: 'saveMapping',
        unitExternalId: unit.externalId,
        unitName: unit.name,
        lockId: lock.id,
        replace,
        lock: { title: lock.title, pageUrl: lock.pageUrl },
      });
      onClose(result.status === 'saved' ? { kind: 'saved', unit, mapping: result.mapping } : { kind: 'queued', unit });
    } catch (error) {
      const e = bridgeErrorOf(error);
      if (e.code === 'conflict' && e.conflict) {
        conflict.value = { unit, details: e.conflict };
        notice.value = { tone: 'info', text: t('tapkey.conflict.title') };
      } else {
        notice.value = { tone: 'error', text: describeError(t, error) };
      }
    } finally {
      busyUnitId.value = null;
    }
  }

  function onKeyDown(e: KeyboardEvent) {
    if (e.key === 'Escape') {
      e.preventDefault();
      onClose(null);
      return;
    }
    if (e.key !== 'Tab' || !dialogRef.current) return;
    const focusables = Array.from(dialogRef.current.querySelectorAll<HTMLElement>(FOCUSABLE));
    if (!focusables.length) return;
    const first = focusables[0]!;
    const last = focusables[focusables.length - 1]!;
    // Inside a shadow root, document.activeElement is only the host.
    const active = (dialogRef.current.getRootNode() as Document | ShadowRoot).activeElement;
    if (e.shiftKey && (active === first || active === dialogRef.current)) {
      e.preventDefault();
      last.focus();
    } else if (!e.shiftKey && active === last) {
      e.preventDefault();
      first.focus();
    }
  }

  const state = units.value;
  const c = conflict.value;
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
        <h2 id={titleId}>{t('tapkey.dialog.title', { title: lock.title || lock.id })}</h2>
        <p id={descId}>
          {current ? t('tapkey.dialog.current', { unit: current.unit.name }) : t('tapkey.dialog.currentNone')}
        </p>
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
              <button type="button" class="ab-primary" disabled={busyUnitId.value !== null} onClick={() => save(c.unit, true)}>
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
            <UnitPicker
              units={state.items}
              lockTitle={lock.title}
              currentUnitId={current?.unitId ?? null}
              busyUnitId={busyUnitId.value}
              onPick={(unit) => void save(unit, false)}
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
