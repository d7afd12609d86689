import { useMemo } from 'preact/hooks';
import type { Mapping } from '../../lib/contract.ts';
import type { UnitPageData } from '../../lib/site-profile/index.ts';
import type { LockChoice, MappingApi } from '../mapping/api.ts';
import { MappingDialog } from '../mapping/MappingDialog.tsx';
import { lockChoices } from '../mapping/lock-choices.ts';
import { messageMappingApi } from '../mapping/message-api.ts';
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

const lockName = (lock: { title: string; id: string }) => lock.title || lock.id;

/** "Map to Tapkey lock" on a unit page: pick the unit's lock. */
export function LockPickerDialog({ unit, current, onClose, api: givenApi }: LockPickerDialogProps) {
  const { t, send } = useUi();
  const api = useMemo(() => givenApi ?? messageMappingApi(send), [givenApi, send]);
  return (
    <MappingDialog
      title={t('manager.locks.title', { unit: unit.name })}
      description={current ? t('manager.locks.current', { unit: unit.name, lock: lockName(current.lock) }) : t('manager.locks.currentNone', { unit: unit.name })}
      load={() => api.locks('', unit.externalId)}
      items={(list) => lockChoices(list.items, unit.externalId, t)}
      notes={(list) => (list.truncated ? <p class="ab-hint">{t('manager.locks.truncated', { count: list.items.length, total: list.total })}</p> : null)}
      picker={{ kind: 'lock', target: unit.name, sortByMatch: true }}
      save={({ lock }, replace) => api.save({ unitExternalId: unit.externalId, unitName: unit.name, lockId: lock.id, replace })}
      conflict={({ lock }, c) => (
        <>
          {c.unitMappedTo && c.unitMappedTo.lockId !== lock.id ? (
            <p>{t('manager.conflict.unit', { unit: unit.name, lock: lockName(c.unitMappedTo.lock), lockId: c.unitMappedTo.lockId })}</p>
          ) : null}
          {c.lockMappedTo && c.lockMappedTo.unit.externalId !== unit.externalId ? (
            <p>{t('manager.conflict.lock', { lock: lockName(lock), unit: c.lockMappedTo.unit.name })}</p>
          ) : null}
          <p>{t('manager.conflict.explain', { unit: unit.name, lock: lockName(lock) })}</p>
        </>
      )}
      words={{ conflictTitle: 'manager.conflict.title', replace: 'manager.conflict.replace', back: 'manager.conflict.back' }}
      onClose={(result) =>
        onClose(
          !result ? null : result.saved.status === 'saved' ? { kind: 'saved', lock: result.item.lock, mapping: result.saved.mapping } : { kind: 'queued', lock: result.item.lock },
        )
      }
    />
  );
}
