import { useSignal } from '@preact/signals';
import { useId, useMemo } from 'preact/hooks';
import type { Unit } from '../lib/contract.ts';
import { nameTokens, rankByName } from '../lib/similarity.ts';
import { useUi } from './ui-context.ts';

/** Rendering thousands of buttons helps nobody: the list shows this many, search narrows. */
export const VISIBLE_UNITS = 100;

export interface UnitPickerProps {
  units: Unit[];
  /** The lock's title, for the suggestions. */
  lockTitle: string;
  currentUnitId: string | null;
  /** The unit being saved: every choice is disabled meanwhile. */
  busyUnitId: string | null;
  onPick: (unit: Unit) => void;
  inputRef?: preact.Ref<HTMLInputElement>;
}

function matches(unit: Unit, query: string): boolean {
  const q = query.trim().toLowerCase();
  if (!q) return true;
  if (unit.name.toLowerCase().includes(q) || unit.externalId.toLowerCase().includes(q)) return true;
  // "a12" finds "A-12": compare normalised tokens too.
  return nameTokens(unit.name).join('').includes(nameTokens(q).join(''));
}

/** The organisation's units as one-click choices, best matches for the lock title first. */
export function UnitPicker({ units, lockTitle, currentUnitId, busyUnitId, onPick, inputRef }: UnitPickerProps) {
  const { t } = useUi();
  const query = useSignal('');
  const searchId = useId();
  const suggestedId = useId();
  const allId = useId();
  const suggestions = useMemo(() => rankByName(lockTitle, units).map((r) => r.item), [lockTitle, units]);
  const filtered = useMemo(() => units.filter((u) => matches(u, query.value)), [units, query.value]);

  const row = (unit: Unit, suggested: boolean) => (
    <li key={unit.id}>
      <button type="button" class={`ab-unit${suggested ? ' ab-suggested' : ''}`} disabled={busyUnitId !== null} onClick={() => onPick(unit)}>
        <span class="ab-unit-name">{unit.name}</span>
        {unit.id === currentUnitId ? <span class="ab-tag">{t('tapkey.picker.current')}</span> : null}
        {busyUnitId === unit.id ? <span class="ab-tag">{t('tapkey.save.saving')}</span> : null}
      </button>
    </li>
  );

  if (!units.length) return <p class="ab-empty">{t('tapkey.picker.empty')}</p>;

  const shown = filtered.slice(0, VISIBLE_UNITS);
  return (
    <div class="ab-picker">
      <label for={searchId}>{t('tapkey.picker.search')}</label>
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
          <h3 id={suggestedId}>{t('tapkey.picker.suggested')}</h3>
          <ul class="ab-units">{suggestions.map((u) => row(u, true))}</ul>
        </section>
      ) : null}
      <section aria-labelledby={allId}>
        <h3 id={allId}>{t('tapkey.picker.all')}</h3>
        {shown.length ? (
          <ul class="ab-units">{shown.map((u) => row(u, false))}</ul>
        ) : (
          <p class="ab-empty">{t('tapkey.picker.noMatch', { query: query.value.trim() })}</p>
        )}
        {filtered.length > shown.length ? (
          <p class="ab-hint">{t('tapkey.picker.more', { shown: shown.length, total: filtered.length })}</p>
        ) : null}
      </section>
    </div>
  );
}
