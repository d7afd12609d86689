import { useSignal } from '@preact/signals';
import { useId, useMemo } from 'preact/hooks';
import type { LockChoice } from '../../lib/messages.ts';
import { nameSimilarity, nameTokens, rankByName } from '../../lib/similarity.ts';
import { useUi } from '../ui-context.ts';

/** Thousands of buttons help nobody: the list shows this many, search narrows. */
export const VISIBLE_LOCKS = 100;

export interface LockPickerProps {
  locks: LockChoice[];
  /** The unit's name: locks titled like it come first. */
  unitName: string;
  unitExternalId: string;
  /** The lock being saved: every choice is disabled meanwhile. */
  busyLockId: string | null;
  onPick: (lock: LockChoice) => void;
  inputRef?: preact.Ref<HTMLInputElement>;
}

function matches(lock: LockChoice, query: string): boolean {
  const q = query.trim().toLowerCase();
  if (!q) return true;
  if (lock.title.toLowerCase().includes(q) || lock.id.includes(q)) return true;
  // "a12" finds "A-12 door": compare normalised tokens too.
  return nameTokens(lock.title).join('').includes(nameTokens(q).join(''));
}

/**
 * The organisation's Tapkey locks (imported and captured) as one-click choices: the best
 * matches for the unit's name first, the unit each lock is mapped to beside it.
 */
export function LockPicker({ locks, unitName, unitExternalId, busyLockId, onPick, inputRef }: LockPickerProps) {
  const { t } = useUi();
  const query = useSignal('');
  const searchId = useId();
  const suggestedId = useId();
  const allId = useId();
  const named = useMemo(() => locks.map((l) => ({ ...l, name: l.title })), [locks]);
  const suggestions = useMemo(() => rankByName(unitName, named).map((r) => r.item), [unitName, named]);
  // Best title matches first, then by title in natural order ("A-2" before "A-10").
  const ordered = useMemo(() => {
    const score = new Map(named.map((l) => [l.id, nameSimilarity(unitName, l.title)]));
    return [...named].sort((a, b) => score.get(b.id)! - score.get(a.id)! || a.title.localeCompare(b.title, undefined, { numeric: true }));
  }, [named, unitName]);
  const filtered = useMemo(() => ordered.filter((l) => matches(l, query.value)), [ordered, query.value]);

  const row = (lock: LockChoice, suggested: boolean) => {
    const mine = lock.mappedTo?.externalId === unitExternalId;
    return (
      <li key={lock.id}>
        <button type="button" class={`ab-unit${suggested ? ' ab-suggested' : ''}`} disabled={busyLockId !== null} onClick={() => onPick(lock)}>
          <span class="ab-unit-name">{lock.title || lock.id}</span>
          {mine ? <span class="ab-tag">{t('manager.locks.tag.current')}</span> : null}
          {lock.mappedTo && !mine ? <span class="ab-tag">{t('manager.locks.tag.mapped', { unit: lock.mappedTo.name })}</span> : null}
          {lock.source === 'captured' ? <span class="ab-tag">{t('manager.locks.tag.captured')}</span> : null}
          {busyLockId === lock.id ? <span class="ab-tag">{t('manager.locks.saving')}</span> : null}
        </button>
      </li>
    );
  };

  if (!locks.length) return <p class="ab-empty">{t('manager.locks.empty')}</p>;

  const shown = filtered.slice(0, VISIBLE_LOCKS);
  return (
    <div class="ab-picker">
      <label for={searchId}>{t('manager.locks.search')}</label>
      <input
        id={searchId}
        ref={inputRef}
        type="search"
        autocomplete="off"
        value={query.value}
        onInput={(e) => (query.value = (e.currentTarget as HTMLInputElement).value)}
      />
      {!query.value.trim() && suggestions.length > 0 ? (
        <section aria-labelledby={suggestedId}>
          <h3 id={suggestedId}>{t('manager.locks.suggested')}</h3>
          <ul class="ab-units">{suggestions.map((l) => row(l, true))}</ul>
        </section>
      ) : null}
      <section aria-labelledby={allId}>
        <h3 id={allId}>{t('manager.locks.all')}</h3>
        {shown.length ? (
          <ul class="ab-units">{shown.map((l) => row(l, false))}</ul>
        ) : (
          <p class="ab-empty">{t('manager.locks.noMatch', { query: query.value.trim() })}</p>
        )}
        {filtered.length > shown.length ? <p class="ab-hint">{t('manager.locks.more', { shown: shown.length, total: filtered.length })}</p> : null}
      </section>
    </div>
  );
}
