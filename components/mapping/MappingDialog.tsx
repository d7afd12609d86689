import { useSignal } from '@preact/signals';
import type { ComponentChildren } from 'preact';
import { useEffect, useMemo, useRef } from 'preact/hooks';
import type { MappingConflict } from '../../lib/contract.ts';
import type { MessageKey } from '../../lib/i18n/index.ts';
import { describeError } from '../describe-error.ts';
import { Dialog } from '../Dialog.tsx';
import { Picker, type PickerItem, type PickerProps } from '../Picker.tsx';
import { StatusMessage, type Notice } from '../StatusMessage.tsx';
import { useUi } from '../ui-context.ts';
import { MappingConflictError, type MappingSaved } from './api.ts';

type Loaded<L> = { status: 'loading' } | { status: 'error' } | { status: 'ready'; list: L };

export interface MappingDialogProps<L, I extends PickerItem> {
  title: string;
  description: string;
  /** Always shown under the description (the lock's ID on the portal). */
  intro?: ComponentChildren;
  /** Loads what can be picked (units for a lock, locks for a unit). */
  load: () => Promise<L>;
  /** The loaded list as picker items. */
  items: (list: L) => I[];
  /** Notes above the picker (a stale or truncated list). */
  notes?: (list: L) => ComponentChildren;
  picker: Pick<PickerProps<I>, 'kind' | 'target' | 'sortByMatch'>;
  /** Saves the choice; a MappingConflictError shows the conflict with "Replace". */
  save: (item: I, replace: boolean) => Promise<MappingSaved>;
  /** What the conflict means for this choice, in sentences. */
  conflict: (item: I, details: MappingConflict) => ComponentChildren;
  words: { conflictTitle: MessageKey; replace: MessageKey; back: MessageKey };
  /** Closes with the saved choice, or `null` (Escape, Close, the backdrop). */
  onClose: (result: { item: I; saved: MappingSaved } | null) => void;
}

/**
 * "Map to Tapkey lock", from either side: the one dialog of the portal (pick a unit for a
 * lock) and the manager's unit pages (pick a lock for a unit). Loads the choices, suggests
 * the best matches, saves on one click, and explains a conflict with a choice to replace.
 */
export function MappingDialog<L, I extends PickerItem>(props: MappingDialogProps<L, I>) {
  const { title, description, intro, load, items, notes, picker, save, conflict, words, onClose } = props;
  const { t } = useUi();
  const loaded = useSignal<Loaded<L>>({ status: 'loading' });
  const busyId = useSignal<string | null>(null);
  const conflicted = useSignal<{ item: I; details: MappingConflict } | null>(null);
  const notice = useSignal<Notice | null>(null);
  const searchRef = useRef<HTMLInputElement>(null);

  async function reload() {
    loaded.value = { status: 'loading' };
    notice.value = null;
    try {
      loaded.value = { status: 'ready', list: await load() };
    } catch (error) {
      loaded.value = { status: 'error' };
      notice.value = { tone: 'error', text: describeError(t, error) };
    }
  }

  useEffect(() => void reload(), []);

  // Once the list is there, typing should search right away.
  const ready = loaded.value.status === 'ready';
  useEffect(() => {
    if (ready) searchRef.current?.focus();
  }, [ready]);

  async function pick(item: I, replace: boolean) {
    busyId.value = item.id;
    notice.value = { tone: 'info', text: t('mapping.saving') };
    try {
      onClose({ item, saved: await save(item, replace) });
    } catch (error) {
      if (error instanceof MappingConflictError) {
        conflicted.value = { item, details: error.conflict };
        notice.value = { tone: 'info', text: t(words.conflictTitle) };
      } else {
        notice.value = { tone: 'error', text: describeError(t, error) };
      }
    } finally {
      busyId.value = null;
    }
  }

  const state = loaded.value;
  const choices = useMemo(() => (state.status === 'ready' ? items(state.list) : []), [state]);
  const c = conflicted.value;
  return (
    <Dialog title={title} description={description} busy={state.status === 'loading'} onClose={() => onClose(null)}>
      {intro}
      {c ? (
        <div class="ab-conflict">
          {conflict(c.item, c.details)}
          <div class="ab-actions">
            <button type="button" class="ab-primary" disabled={busyId.value !== null} onClick={() => void pick(c.item, true)}>
              {t(words.replace)}
            </button>
            <button
              type="button"
              onClick={() => {
                conflicted.value = null;
                notice.value = null;
              }}
            >
              {t(words.back)}
            </button>
          </div>
        </div>
      ) : state.status === 'loading' ? (
        <p class="ab-hint">{t('common.loading')}</p>
      ) : state.status === 'error' ? (
        <button type="button" onClick={() => void reload()}>
          {t('common.retry')}
        </button>
      ) : (
        <>
          {notes?.(state.list)}
          <Picker {...picker} items={choices} busyId={busyId.value} onPick={(item) => void pick(item, false)} inputRef={searchRef} />
        </>
      )}
      <StatusMessage notice={notice.value} />
    </Dialog>
  );
}
