import { useSignal } from '@preact/signals';
import { useId } from 'preact/hooks';
import type { AccessNotice, Booking } from '../../lib/contract.ts';
import { languages, type Language } from '../../lib/i18n/index.ts';
import { CopyButton } from '../keycafe/CopyButton.tsx';
import { StatusMessage } from '../StatusMessage.tsx';
import { useUi } from '../ui-context.ts';
import { DataTable } from './DataTable.tsx';
import { SelectField } from '../SelectField.tsx';
import { SearchForm, usePendingSearch } from './SearchForm.tsx';
import { NeedsLocation, Section, useAction, type AdminState } from './shared.tsx';

/**
 * "Access ready" notices: find a booking, read its text in the tenant's language (Tapkey app
 * links, "register with the same email", the merge field) and copy it; below, the location's
 * template (the merge field left in) to paste into the manager's email template once.
 */
export function NoticesSection({ state }: { state: AdminState }) {
  const { t } = useUi();
  return (
    <Section id="notices" title={t('admin.notices.heading')}>
      <NeedsLocation state={state}>{(location) => <Notices key={location.id} state={state} locationId={location.id} />}</NeedsLocation>
    </Section>
  );
}

function Notices({ state, locationId }: { state: AdminState; locationId: string }) {
  const { t, send, lang } = useUi();
  const { busy, notice, run } = useAction();
  const search = useSignal('');
  const bookings = useSignal<Booking[] | null>(null);
  const chosen = useSignal<Booking | null>(null);
  const tenantLang = useSignal<Language>(lang);
  const notices = useSignal<AccessNotice[] | null>(null);
  const template = useSignal<AccessNotice | null>(null);
  const ids = { text: useId(), template: useId() };

  async function find() {
    const found = await run('find', () => send({ type: 'adminBookings', locationId, search: search.value.trim() }));
    if (found) bookings.value = found.items;
    // The location's template comes from its latest notice, if any booking has one yet.
    const withGrant = found?.items.find((b) => b.grant?.state === 'active');
    if (withGrant && !template.value) {
      const n = await send({ type: 'adminNotices', bookingExternalId: withGrant.externalId, lang: tenantLang.value }).catch(() => null);
      template.value = n?.items[0] ?? null;
    }
  }

  async function open(booking: Booking, language = tenantLang.value) {
    chosen.value = booking;
    const found = await run('notices', () => send({ type: 'adminNotices', bookingExternalId: booking.externalId, lang: language }));
    if (found) {
      notices.value = found.items;
      if (found.items[0]) template.value = found.items[0];
    }
  }

  usePendingSearch(state, 'notices', search, () => void find(), locationId);

  const latest = notices.value?.[0] ?? null;
  return (
    <>
      <SearchForm label={t('admin.notices.searchLabel')} searchLabel={t('admin.notices.search')} search={search} submitLabel={t('admin.locks.searchButton')} onSearch={() => void find()}>
        <SelectField
          label={t('admin.notices.language')}
          value={tenantLang.value}
          options={languages.map((l) => ({ value: l, label: t(`admin.language.${l}`) }))}
          onChange={(l: Language) => {
            tenantLang.value = l;
            if (chosen.value) void open(chosen.value, tenantLang.value);
          }}
        />
      </SearchForm>
      {bookings.value ? (
        bookings.value.length === 0 ? (
          <p>{t('admin.notices.noBookings')}</p>
        ) : (
          <DataTable
            caption={t('admin.notices.bookings')}
            captionHidden
            columns={[t('admin.report.booking'), t('admin.report.unit'), t('admin.report.email'), t('admin.notices.access'), t('admin.actions')]}
          >
            {bookings.value.map((b) => (
              <tr key={b.id} aria-current={chosen.value?.id === b.id ? 'true' : undefined}>
                <th scope="row">
                  {b.externalId}
                  {b.stale ? <span class="tag warn">{t('admin.bookings.stale')}</span> : null}
                </th>
                <td>{b.unitExternalId}</td>
                <td>{b.tenantEmail ?? ''}</td>
                <td>{b.access.message}</td>
                <td>
                  <button type="button" aria-label={t('admin.notices.showNamed', { id: b.externalId })} onClick={() => void open(b)}>
                    {t('admin.notices.show')}
                  </button>
                </td>
              </tr>
            ))}
          </DataTable>
        )
      ) : null}
      {busy.value ? <p class="hint">{t('common.loading')}</p> : null}
      {chosen.value && notices.value ? (
        latest ? (
          <div class="notice">
            <h3>{t('admin.notices.forBooking', { id: chosen.value.externalId })}</h3>
            <p>
              <strong>{t('admin.notices.subject')}</strong> {latest.subject}
            </p>
            <label for={ids.text}>{t('admin.notices.text')}</label>
            <textarea id={ids.text} readOnly rows={10} value={latest.text} />
            <div class="actions">
              <CopyButton
                text={`${latest.subject}\n\n${latest.text}`}
                label={t('admin.notices.copyNamed', { id: chosen.value.externalId })}
                onResult={(ok) => (notice.value = ok ? { tone: 'success', text: t('admin.notices.copied') } : { tone: 'error', text: t('admin.notices.copyFailed') })}
              />
            </div>
          </div>
        ) : (
          <p>{t('admin.notices.noneYet', { id: chosen.value.externalId })}</p>
        )
      ) : null}
      <StatusMessage notice={notice.value} />
      <h3>{t('admin.notices.templateHeading')}</h3>
      {template.value ? (
        <>
          <p class="hint">{t('admin.notices.templateHint', { field: template.value.mergeField })}</p>
          <label for={ids.template}>{t('admin.notices.template')}</label>
          <textarea id={ids.template} readOnly rows={10} value={template.value.template} />
          <p class="hint">
            <a href={template.value.appStoreUrl} target="_blank" rel="noopener noreferrer">
              {t('admin.notices.appStore')}
            </a>{' '}
            ·{' '}
            <a href={template.value.playStoreUrl} target="_blank" rel="noopener noreferrer">
              {t('admin.notices.playStore')}
            </a>
          </p>
        </>
      ) : (
        <p class="hint">{t('admin.notices.templateNone')}</p>
      )}
    </>
  );
}
