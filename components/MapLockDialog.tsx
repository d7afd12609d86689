import { useMemo } from 'preact/hooks';
import type { Mapping, Unit } from '../lib/contract.ts';
import type { UnitMappingApi } from './mapping/api.ts';
import { MappingDialog } from './mapping/MappingDialog.tsx';
import { messageMappingApi } from './mapping/message-api.ts';
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

/** "Map to Tapkey lock" on a portal lock page: pick the lock's unit. */
export function MapLockDialog({ lock, current, onClose, api: givenApi }: MapLockDialogProps) {
  const { t, send } = useUi();
  const api = useMemo(() => givenApi ?? messageMappingApi(send), [givenApi, send]);
  return (
    <MappingDialog
      title={t('tapkey.dialog.title', { title: lock.title || lock.id })}
      description={current ? t('tapkey.dialog.current', { unit: current.unit.name }) : t('tapkey.dialog.currentNone')}
      load={() => api.units()}
      items={(list) =>
        list.items.map((unit) => ({
          id: unit.id,
          unit,
          label: unit.name,
          searchable: [unit.externalId],
          tags: unit.id === current?.unitId ? [t('mapping.tag.current')] : [],
        }))
      }
      intro={<p class="ab-hint">{t('tapkey.dialog.lockId', { lockId: lock.id })}</p>}
      notes={(list) => (
        <>
          {list.stale ? <p class="ab-warning">{t('tapkey.dialog.stale')}</p> : null}
          {list.truncated ? <p class="ab-hint">{t('tapkey.dialog.truncated', { count: list.items.length, total: list.total })}</p> : null}
        </>
      )}
      picker={{ kind: 'unit', target: lock.title }}
      save={({ unit }, replace) =>
        api.save({ unitExternalId: unit.externalId, unitName: unit.name, lockId: lock.id, replace, lock: { title: lock.title, pageUrl: lock.pageUrl } })
      }
      conflict={({ unit }, c) => (
        <>
          {c.unitMappedTo && c.unitMappedTo.lockId !== lock.id ? (
            <p>{t('tapkey.conflict.unit', { unit: unit.name, lock: c.unitMappedTo.lock.title || c.unitMappedTo.lockId, lockId: c.unitMappedTo.lockId })}</p>
          ) : null}
          {c.lockMappedTo && c.lockMappedTo.unit.externalId !== unit.externalId ? <p>{t('tapkey.conflict.lock', { unit: c.lockMappedTo.unit.name })}</p> : null}
          <p>{t('tapkey.conflict.explain', { unit: unit.name })}</p>
        </>
      )}
      words={{ conflictTitle: 'tapkey.conflict.title', replace: 'tapkey.conflict.replace', back: 'tapkey.conflict.back' }}
      onClose={(result) =>
        onClose(
          !result ? null : result.saved.status === 'saved' ? { kind: 'saved', unit: result.item.unit, mapping: result.saved.mapping } : { kind: 'queued', unit: result.item.unit },
        )
      }
    />
  );
}
