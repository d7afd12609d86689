import { useSignal } from '@preact/signals';
import { useEffect, useId, useRef } from 'preact/hooks';
import { asKeycafeApiError } from '../components/keycafe/api.ts';
import { StatusMessage, type Notice } from '../components/StatusMessage.tsx';
import { useUi } from '../components/ui-context.ts';
import type { Lock, Mapping, MappingConflict, Unit } from '../lib/contract.ts';
import { rankByName } from '../lib/similarity.ts';
import { MappingConflictError, type WidgetClient } from './client.ts';

/** Locks listed per search; typing narrows. */
const LOCK_RESULTS = 50;
const SEARCH_DEBOUNCE_MS = 250;

type Loaded = { status: 'loading' } | { status: 'error'; message: string } | { status: 'ready'; unit: Unit; mapping: Mapping | null; canWrite: boolean };
type Locks = { status: 'loading' } | { status: 'error'; message: string } | { status: 'ready'; items: Lock[]; query: string };

/**
 * `view="map-lock" unit="<externalId>"`: the unit's Tapkey lock, and "Map to Tapkey lock" by
 * picking one (best title matches first), with a conflict explained and "Replace" offered.
 * A token with `mapping:read` only shows the mapping.
 */
export function MapLockView({ client, unitRef }: { client: WidgetClient; unitRef: string }) {
  const { t } = useUi();
  const loaded = useSignal<Loaded>({ status: 'loading' });
  const locks = useSignal<Locks>({ status: 'loading' });
  const query = useSignal('');
  const busy = useSignal<string | null>(null);
  const conflict = useSignal<{ lock: Lock; details: MappingConflict } | null>(null);
  const notice = useSignal<Notice | null>(null);
  const headingId = useId();
  const searchId = useId();
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
        client.locks(search, LOCK_RESULTS).then(
          (page) => run === latest.current && (locks.value = { status: 'ready', items: page.items, query: search }),
          (error: unknown) => run === latest.current && (locks.value = { status: 'error', message: asKeycafeApiError(error).message }),
        ),
      search ? SEARCH_DEBOUNCE_MS : 0,
    );
    return () => clearTimeout(timer);
  }, [canWrite, query.value]);

  async function map(lock: Lock, replace: boolean) {
    const state = loaded.value;
    if (state.status !== 'ready') return;
    busy.value = lock.id;
    notice.value = null;
    try {
      const mapping = await client.map(state.unit.externalId, lock.id, replace);
      loaded.value = { ...state, mapping };
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
  const suggestions = l.status === 'ready' && !l.query ? rankByName(unit.name, l.items.map((lock) => ({ ...lock, name: lock.title }))).map((r) => r.item) : [];
  const lockButton = (lock: Lock) => (
    <li key={lock.id}>
      <button type="button" disabled={busy.value !== null || lock.id === mapping?.lockId} onClick={() => void map(lock, false)} aria-label={t('kcui.widget.map.pick', { lock: lock.title || lock.id })}>
        <span class="ab-strong">{lock.title || lock.id}</span> <span class="ab-mono">{lock.id}</span>
      </button>
    </li>
  );
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
          <div class="ab-field">
            <label for={searchId}>{t('kcui.widget.map.search')}</label>
            <input id={searchId} type="search" autocomplete="off" value={query.value} onInput={(e) => (query.value = (e.currentTarget as HTMLInputElement).value)} />
          </div>
          {l.status === 'loading' ? (
            <p class="ab-hint">{t('common.loading')}</p>
          ) : l.status === 'error' ? (
            <p class="ab-alert">{l.message}</p>
          ) : l.items.length === 0 ? (
            <p class="ab-empty">{l.query ? t('kcui.widget.map.noMatch', { query: l.query }) : t('kcui.widget.map.noLocks')}</p>
          ) : (
            <>
              {suggestions.length ? (
                <>
                  <h3>{t('kcui.widget.map.suggested')}</h3>
                  <ul class="ab-locks" aria-label={t('kcui.widget.map.suggested')}>
                    {suggestions.map(lockButton)}
                  </ul>
                </>
              ) : null}
              <h3>{t('kcui.widget.map.results')}</h3>
              <ul class="ab-locks" aria-label={t('kcui.widget.map.results')}>
                {l.items.map(lockButton)}
              </ul>
            </>
          )}
        </>
      )}
      <StatusMessage notice={notice.value} />
    </section>
  );
}
