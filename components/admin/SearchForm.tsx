/**
 * The admin sections' search: a form in the search landmark with a search box, the section's
 * own filters (`children`, e.g. a SelectField) and a submit button; and the hook that starts a
 * section's search where another section asked it to ("map this unit" → the locks search).
 */
import type { Signal } from '@preact/signals';
import type { ComponentChildren } from 'preact';
import { useEffect, useId } from 'preact/hooks';
import type { AdminSectionId, AdminState } from './shared.tsx';

export function SearchForm({
  label,
  searchLabel,
  search,
  submitLabel,
  onSearch,
  children,
}: {
  /** The landmark's name. */
  label: string;
  searchLabel: string;
  search: Signal<string>;
  submitLabel: string;
  onSearch: () => void;
  children?: ComponentChildren;
}) {
  const id = useId();
  return (
    <form
      class="filters"
      role="search"
      aria-label={label}
      onSubmit={(e) => {
        e.preventDefault();
        onSearch();
      }}
    >
      <div class="field">
        <label for={id}>{searchLabel}</label>
        <input id={id} type="search" value={search.value} onInput={(e) => (search.value = e.currentTarget.value)} />
      </div>
      {children}
      <div class="actions">
        <button type="submit">{submitLabel}</button>
      </div>
    </form>
  );
}

/**
 * Runs `load` when the section opens for a location, and again when another section asks this
 * one to search for something (the search box then shows what was asked).
 */
export function usePendingSearch(state: AdminState, section: AdminSectionId, search: Signal<string>, load: () => void, locationId: string) {
  useEffect(() => {
    const asked = state.pendingSearch.value;
    if (asked?.section === section) {
      search.value = asked.search;
      state.pendingSearch.value = null;
    }
    load();
  }, [locationId, state.pendingSearch.value?.search]);
}
