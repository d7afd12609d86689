import type { Signal } from '@preact/signals';
import { useSignal } from '@preact/signals';
import { useId, useMemo } from 'preact/hooks';
import type { MessageKey } from '../lib/i18n/index.ts';
import { nameSimilarity, nameTokens, rankByName } from '../lib/similarity.ts';
import { useUi } from './ui-context.ts';

/** Rendering thousands of buttons helps nobody: the list shows this many, search narrows. */
export const VISIBLE_CHOICES = 100;

export interface PickerItem {
  id: string;
  /** What the user reads and what names are compared with (a unit's name, a lock's title). */
  label: string;
  /** Also found by search (an external ID, a lock ID). */
  searchable?: string[];
  /** Small tags beside the label ("(current)", "mapped to A-12", "captured"). */
  tags?: string[];
  /** Shown after the label in a monospace font (a lock ID). */
  detail?: string;
  disabled?: boolean;
}

export interface PickerProps<T extends PickerItem> {
  /** What is picked: decides the words (lib/i18n/messages/mapping.ts). */
  kind: 'unit' | 'lock';
  items: T[];
  /** The name to match (the lock's title when picking a unit, the unit's name when picking a lock). */
  target: string;
  /** Order every item by its match with `target` (else the given order). */
  sortByMatch?: boolean;
  /** The item being saved: every choice is disabled meanwhile. */
  busyId: string | null;
  onPick: (item: T) => void;
  /** An accessible name for each choice, when the label alone does not say what a click does. */
  actionLabel?: (item: T) => string;
  inputRef?: preact.Ref<HTMLInputElement>;
  /** A query owned by the host (which searches on its server); default: the picker filters. */
  query?: Signal<string>;
  /** The host's search is under way or failed: shown in place of the lists. */
  status?: { loading: true } | { error: string };
}

function matches(item: PickerItem, query: string): boolean {
  const q = query.trim().toLowerCase();
  if (!q) return true;
  if ([item.label, ...(item.searchable ?? [])].some((s) => s.toLowerCase().includes(q))) return true;
  // "a12" finds "A-12": compare normalised tokens too.
  return nameTokens(item.label).join('').includes(nameTokens(q).join(''));
}

const keys = (kind: PickerProps<PickerItem>['kind']) =>
  ({
    search: `mapping.${kind}.search`,
    suggested: `mapping.${kind}.suggested`,
    all: `mapping.${kind}.all`,
    empty: `mapping.${kind}.empty`,
    noMatch: `mapping.${kind}.noMatch`,
    more: `mapping.${kind}.more`,
  }) as const satisfies Record<string, MessageKey>;

/**
 * One-click choices with a search box: the best matches for `target` first ("Suggested for
 * this …"), then all of them. The one list UI of the portal's unit picker, the manager's lock
 * picker and the widget's map-lock view.
 */
export function Picker<T extends PickerItem>({ kind, items, target, sortByMatch, busyId, onPick, actionLabel, inputRef, query: hostQuery, status }: PickerProps<T>) {
  const { t } = useUi();
  const ownQuery = useSignal('');
  const query = hostQuery ?? ownQuery;
  const searchId = useId();
  const suggestedId = useId();
  const allId = useId();
  const k = keys(kind);
  const named = useMemo(() => items.map((item) => ({ item, name: item.label })), [items]);
  const suggestions = useMemo(() => rankByName(target, named).map((r) => r.item.item), [target, named]);
  const ordered = useMemo(() => {
    if (!sortByMatch) return items;
    // Best matches first, then in natural order ("A-2" before "A-10").
    const score = new Map(items.map((i) => [i.id, nameSimilarity(target, i.label)]));
    return [...items].sort((a, b) => score.get(b.id)! - score.get(a.id)! || a.label.localeCompare(b.label, undefined, { numeric: true }));
  }, [items, target, sortByMatch]);
  const filtered = useMemo(() => (hostQuery ? ordered : ordered.filter((i) => matches(i, query.value))), [ordered, query.value, hostQuery]);

  const row = (item: T, suggested: boolean) => (
    <li key={item.id}>
      <button
        type="button"
        class={`ab-unit${suggested ? ' ab-suggested' : ''}`}
        disabled={busyId !== null || item.disabled}
        aria-label={actionLabel?.(item)}
        onClick={() => onPick(item)}
      >
        <span class="ab-unit-name">{item.label}</span>
        {item.detail ? <span class="ab-mono"> {item.detail}</span> : null}
        {item.tags?.map((tag) => (
          <span key={tag} class="ab-tag">
            {tag}
          </span>
        ))}
        {busyId === item.id ? <span class="ab-tag">{t('mapping.saving')}</span> : null}
      </button>
    </li>
  );

  // Without a host search there is nothing to narrow: say so instead of an empty search box.
  if (!items.length && !hostQuery) return <p class="ab-empty">{t(k.empty)}</p>;

  const q = query.value.trim();
  const shown = filtered.slice(0, VISIBLE_CHOICES);
  return (
    <div class="ab-picker">
      <label for={searchId}>{t(k.search)}</label>
      <input id={searchId} ref={inputRef} type="search" autocomplete="off" value={query.value} onInput={(e) => (query.value = (e.currentTarget as HTMLInputElement).value)} />
      {status && 'loading' in status ? (
        <p class="ab-hint">{t('common.loading')}</p>
      ) : status && 'error' in status ? (
        <p class="ab-alert">{status.error}</p>
      ) : (
        <>
          {!q && suggestions.length > 0 ? (
            <section aria-labelledby={suggestedId}>
              <h3 id={suggestedId}>{t(k.suggested)}</h3>
              <ul class="ab-units" aria-labelledby={suggestedId}>
                {suggestions.map((i) => row(i, true))}
              </ul>
            </section>
          ) : null}
          <section aria-labelledby={allId}>
            <h3 id={allId}>{t(k.all)}</h3>
            {shown.length ? (
              <ul class="ab-units" aria-labelledby={allId}>
                {shown.map((i) => row(i, false))}
              </ul>
            ) : (
              <p class="ab-empty">{q ? t(k.noMatch, { query: q }) : t(k.empty)}</p>
            )}
            {filtered.length > shown.length ? <p class="ab-hint">{t(k.more, { shown: shown.length, total: filtered.length })}</p> : null}
          </section>
        </>
      )}
    </div>
  );
}
