import { useSignal } from '@preact/signals';
import { useId } from 'preact/hooks';
import type { AdminResponseMap } from '../../lib/admin-messages.ts';
import { MappingFilesSection } from '../options/MappingFilesSection.tsx';
import { StatusMessage } from '../StatusMessage.tsx';
import { useUi } from '../ui-context.ts';
import { DataTable } from './DataTable.tsx';
import { SelectField } from '../SelectField.tsx';
import { SearchForm, usePendingSearch } from './SearchForm.tsx';
import { NeedsLocation, Section, useAction, type AdminState } from './shared.tsx';

type Filter = 'all' | 'mapped' | 'unmapped';

/**
 * Locks of the location: "Import locks from Tapkey" (progress while Tapkey is read, then the
 * counts), the list with mapping state and search, and the CSV/XLSX mapping files (the same
 * section as in the options).
 */
export function LocksSection({ state }: { state: AdminState }) {
  const { t } = useUi();
  return (
    <Section id="locks" title={t('admin.locks.heading')}>
      <NeedsLocation state={state}>{(location) => <LocksOf key={location.id} state={state} locationId={location.id} hasTapkey={Boolean(location.tapkey)} />}</NeedsLocation>
      <MappingFilesSection />
    </Section>
  );
}

function LocksOf({ state, locationId, hasTapkey }: { state: AdminState; locationId: string; hasTapkey: boolean }) {
  const { t, send } = useUi();
  const { busy, notice, run } = useAction();
  // Listing has its own state: reloading after an import must not clear the import's message.
  const listing = useAction();
  const search = useSignal('');
  const filter = useSignal<Filter>('all');
  const page = useSignal<AdminResponseMap['adminLocks'] | null>(null);
  const ids = { progress: useId() };

  async function load(offset = 0) {
    const result = await listing.run('load', () => send({ type: 'adminLocks', locationId, search: search.value.trim(), mapped: filter.value, offset }));
    if (result) page.value = offset === 0 || !page.value ? result : { items: [...page.value.items, ...result.items], total: result.total };
  }

  usePendingSearch(state, 'locks', search, () => void load(), locationId);

  async function importLocks() {
    const result = await run(
      'import',
      () => send({ type: 'adminImportLocks', locationId }),
      (r) => t('admin.locks.imported', { total: r.total, created: r.created, updated: r.updated, unchanged: r.unchanged, deactivated: r.deactivated }),
    );
    if (result) {
      await state.reload();
      await load();
    }
  }

  return (
    <>
      <div class="actions">
        <button type="button" disabled={busy.value !== null || !hasTapkey} onClick={() => void importLocks()}>
          {t('admin.locks.import')}
        </button>
      </div>
      {!hasTapkey ? <p class="hint">{t('admin.locks.connectFirst')}</p> : null}
      {busy.value === 'import' ? (
        <div class="progress">
          <label for={ids.progress}>{t('admin.locks.importing')}</label>
          <progress id={ids.progress} />
        </div>
      ) : null}
      <StatusMessage notice={notice.value ?? listing.notice.value} />
      <SearchForm label={t('admin.locks.searchLabel')} searchLabel={t('admin.locks.search')} search={search} submitLabel={t('admin.locks.searchButton')} onSearch={() => void load()}>
        <SelectField
          label={t('admin.locks.filter')}
          value={filter.value}
          options={(['all', 'mapped', 'unmapped'] as const).map((f) => ({ value: f, label: t(`admin.locks.filter.${f}`) }))}
          onChange={(f) => {
            filter.value = f;
            void load();
          }}
        />
      </SearchForm>
      {page.value ? (
        page.value.items.length === 0 ? (
          <p>{t('admin.locks.none')}</p>
        ) : (
          <DataTable
            caption={t('admin.locks.count', { shown: page.value.items.length, total: page.value.total })}
            columns={[t('admin.locks.lock'), t('admin.locks.id'), t('admin.locks.source'), t('admin.locks.mapping')]}
          >
            {page.value.items.map(({ lock, unit }) => (
              <tr key={lock.id}>
                <th scope="row">{lock.title || t('admin.locks.untitled')}</th>
                <td>
                  <code>{lock.id}</code>
                </td>
                <td>{t(lock.source === 'tapkey' ? 'admin.locks.source.tapkey' : 'admin.locks.source.captured')}</td>
                <td>{unit ? t('admin.locks.mappedTo', { unit: unit.name, id: unit.externalId }) : <span class="warn">{t('admin.locks.notMapped')}</span>}</td>
              </tr>
            ))}
          </DataTable>
        )
      ) : null}
      {page.value && page.value.items.length < page.value.total ? (
        <div class="actions">
          <button type="button" disabled={listing.busy.value !== null} onClick={() => void load(page.value!.items.length)}>
            {t('admin.showMore')}
          </button>
        </div>
      ) : null}
    </>
  );
}
