import { useSignal } from '@preact/signals';
import { useEffect, useId, useMemo, useRef } from 'preact/hooks';
import { asKeycafeApiError } from '../components/keycafe/api.ts';
import { MappingConflictError, type LockChoice } from '../components/mapping/api.ts';
import { Picker } from '../components/Picker.tsx';
import { StatusMessage, type Notice } from '../components/StatusMessage.tsx';
import { useUi } from '../components/ui-context.ts';
import type { Mapping, MappingConflict, Unit } from '../lib/contract.ts';
import type { MapClient } from './map-client.ts';

const SEARCH_DEBOUNCE_MS = 250;

type Loaded = { status: 'loading' } | { status: 'error'; message: string } | { status: 'ready'; unit: Unit; mapping: Mapping | null; canWrite: boolean };
type Locks = { status: 'loading' } | { status: 'error'; message: string } | { status: 'ready'; items: LockChoice[] };

/**
 * `view="map-lock" unit="<externalId>"`: the unit's Tapkey lock, and "Map to Tapkey lock" by
 * picking one (best title matches first), with a conflict explained and "Replace" offered.
 * A token with `mapping:read` only shows the mapping.
 */
export function MapLockView({ client, unitRef }: { client: MapClient; unitRef: string }) {
  const { t } = useUi();
  const api = useMemo(() => client.mapping(), [client]);
  const loaded = useSignal<Loaded>({ status: 'loading' });
  const locks = useSignal<Locks>({ status: 'loading' });
  const query = useSignal('');
  const busy = useSignal<string | null>(null);
  const conflict = useSignal<{ lock: LockChoice; details: MappingConflict } | null>(null);
  const notice = useSignal<Notice | null>(null);
  const headingId = useId();
  const latest = useRef(0);

  useEffect(() => {
    Promise.all([client.session(), client.unit(unitRef), client.unitMapping(unitRef)]).then(
      ([session, unit, mapping]) => (loaded.value = { status: 'ready', unit, mapping, canWrite: session.actions.includes('mapping:write') }),
      (error: unknown) => {
        const e = asKeycafeApiError(error);
        loaded.value = { status: 'error', message: e.status === 404 ? t('kcui.widget.map.unknownUnit', { unit: unitRef }) : e.message };
      },
    );
  }, [client, unitRef]);

  const canWrite = loaded.value.status === 'ready' && loaded.value.canWrite;
  useEffect(() => {
    if (!canWrite) return;
    const run = ++latest.current;
    const search = query.value.trim();
    locks.value = { status: 'loading' };
    const timer = setTimeout(
      () =>
        api.locks(search).then(
          (page) => run === latest.current && (locks.value = { status: 'ready', items: page.items }),
          (error: unknown) => run === latest.current && (locks.value = { status: 'error', message: asKeycafeApiError(error).message }),
        ),
      search ? SEARCH_DEBOUNCE_MS : 0,
    );
    return () => clearTimeout(timer);
  }, [canWrite, query.value]);

  async function map(lock: LockChoice, replace: boolean) {
    const state = loaded.value;
    if (state.status !== 'ready') return;
    busy.value = lock.id;
    notice.value = null;
    try {
      const saved = await api.save({ unitExternalId: state.unit.externalId, unitName: state.unit.name, lockId: lock.id, replace });
      if (saved.status !== 'saved') return;
      loaded.value = { ...state, mapping: saved.mapping };
      conflict.value = null;
      notice.value = { tone: 'success', text: t('kcui.widget.map.saved', { unit: state.unit.name, lock: lock.title || lock.id }) };
    } catch (error) {
      if (error instanceof MappingConflictError) {
        conflict.value = { lock, details: error.conflict };
        notice.value = { tone: 'error', text: error.message };
      } else notice.value = { tone: 'error', text: asKeycafeApiError(error).message };
    } finally {
      busy.value = null;
    }
  }

  async function unmap() {
    const state = loaded.value;
    if (state.status !== 'ready') return;
    busy.value = 'unmap';
    try {
      await client.unmap(state.unit.externalId);
      loaded.value = { ...state, mapping: null };
      notice.value = { tone: 'success', text: t('kcui.widget.map.unmapped', { unit: state.unit.name }) };
    } catch (error) {
      notice.value = { tone: 'error', text: asKeycafeApiError(error).message };
    } finally {
      busy.value = null;
    }
  }

  const state = loaded.value;
  if (state.status === 'loading') return <p class="ab-hint">{t('kcui.widget.loading')}</p>;
  if (state.status === 'error') return <p role="alert" class="ab-alert">{state.message}</p>;

  const { unit, mapping } = state;
  const l = locks.value;
  const choices = l.status === 'ready' ? l.items.map((lock) => ({ id: lock.id, lock, label: lock.title || lock.id, detail: lock.id, disabled: lock.id === mapping?.lockId })) : [];
  const c = conflict.value;

  return (
    <section class="ab-widget-map" aria-labelledby={headingId}>
      <h2 id={headingId}>{t('kcui.widget.map.title')}</h2>
      <p class="ab-strong">{t('kcui.widget.map.unit', { unit: unit.name })}</p>
      <p>{mapping ? t('kcui.widget.map.current', { lock: mapping.lock.title || mapping.lockId, lockId: mapping.lockId }) : t('kcui.widget.map.none')}</p>
      {!state.canWrite ? (
        <p class="ab-hint">{t('kcui.widget.map.readOnly')}</p>
      ) : (
        <>
          {mapping ? (
            <button type="button" disabled={busy.value !== null} onClick={() => void unmap()}>
              {t('kcui.widget.map.unmap')}
            </button>
          ) : null}
          {c ? (
            <div class="ab-conflict">
              {c.details.lockMappedTo && c.details.lockMappedTo.unit.externalId !== unit.externalId ? (
                <p>{t('kcui.widget.map.conflict', { lock: c.lock.title || c.lock.id, unit: c.details.lockMappedTo.unit.name })}</p>
              ) : null}
              {c.details.unitMappedTo && c.details.unitMappedTo.lockId !== c.lock.id ? (
                <p>{t('kcui.widget.map.conflictUnit', { unit: unit.name, lock: c.details.unitMappedTo.lock.title || c.details.unitMappedTo.lockId })}</p>
              ) : null}
              <button type="button" class="ab-primary" disabled={busy.value !== null} onClick={() => void map(c.lock, true)}>
                {t('kcui.widget.map.replace')}
              </button>
            </div>
          ) : null}
          <Picker
            kind="lock"
            items={choices}
            target={unit.name}
            busyId={busy.value}
            onPick={(choice) => void map(choice.lock, false)}
            actionLabel={(choice) => t('kcui.widget.map.pick', { lock: choice.label })}
            query={query}
            status={l.status === 'loading' ? { loading: true } : l.status === 'error' ? { error: l.message } : undefined}
          />
        </>
      )}
      <StatusMessage notice={notice.value} />
    </section>
  );
}
