import { useSignal } from '@preact/signals';
import { useId } from 'preact/hooks';
import type { LocationSummary } from '../../lib/admin-messages.ts';
import { StatusMessage } from '../StatusMessage.tsx';
import { useUi } from '../ui-context.ts';
import { ConfirmPanel, describedBy, Field, InputField, Section, useAction, type AdminState } from './shared.tsx';
import { browserTimeZone, isTimeZone, timeZones } from './time-zones.ts';
import { DataTable } from './DataTable.tsx';

interface Draft {
  id: string | null;
  name: string;
  timeZone: string;
  address: string;
}

const emptyDraft = (): Draft => ({ id: null, name: '', timeZone: browserTimeZone(), address: '' });

/**
 * Locations: the list with counts (each a link to the section that shows them), a form to
 * create or edit one (searchable IANA time zone, the browser's by default), and delete after a
 * confirmation saying what goes with it and what stays.
 */
export function LocationsSection({ state }: { state: AdminState }) {
  const { t, send } = useUi();
  const { busy, notice, fieldErrors, run } = useAction();
  const draft = useSignal<Draft>(emptyDraft());
  const deleting = useSignal<LocationSummary | null>(null);
  const zonesId = useId();
  const nameId = useId();
  const zoneId = useId();
  const addressId = useId();
  const zoneError = fieldErrors.value.timeZone ?? (draft.value.timeZone && !isTimeZone(draft.value.timeZone) ? t('admin.location.zoneUnknown') : undefined);

  async function save(e: Event) {
    e.preventDefault();
    const d = draft.value;
    const saved = await run(
      'save',
      () => send({ type: 'adminSaveLocation', ...(d.id ? { id: d.id } : {}), name: d.name, timeZone: d.timeZone, address: d.address }),
      (r) => t(d.id ? 'admin.location.updated' : 'admin.location.created', { name: r.location.name }),
    );
    if (saved) {
      draft.value = emptyDraft();
      await state.reload();
      state.locationId.value = saved.location.id;
    }
  }

  async function remove(summary: LocationSummary) {
    deleting.value = null;
    const done = await run(
      'delete',
      () => send({ type: 'adminDeleteLocation', id: summary.location.id }),
      () => t('admin.location.deleted', { name: summary.location.name }),
    );
    if (done) {
      if (state.locationId.value === summary.location.id) state.locationId.value = null;
      await state.reload();
    }
    document.getElementById(`location-${summary.location.id}-delete`)?.focus();
  }

  const items = state.locations.value;
  return (
    <Section id="locations" title={t('admin.locations.heading')}>
      {items === null ? (
        <p>{t('common.loading')}</p>
      ) : items.length === 0 ? (
        <p>{t('admin.locations.none')}</p>
      ) : (
        <DataTable caption={t('admin.locations.heading')} captionHidden columns={[t('admin.location.name'), t('admin.location.timeZone'), t('admin.location.address'), t('admin.location.contents'), t('admin.actions')]}>
          {items.map((s) => (
            <tr key={s.location.id}>
              <th scope="row">{s.location.name}</th>
              <td>{s.location.timeZone}</td>
              <td>{s.location.address ?? ''}</td>
              <td>
                <ul class="inline">
                  {(
                    [
                      ['locks', t('admin.location.units', { n: s.counts.units })],
                      ['locks', t('admin.location.locks', { n: s.counts.locks })],
                      ['notices', t('admin.location.bookings', { n: s.counts.bookings })],
                    ] as const
                  ).map(([section, text], i) => (
                    <li key={i}>
                      <a
                        href={`#${section}`}
                        onClick={(e) => {
                          e.preventDefault();
                          state.locationId.value = s.location.id;
                          state.goTo(section);
                        }}
                      >
                        {text}
                      </a>
                    </li>
                  ))}
                </ul>
              </td>
              <td>
                <div class="actions">
                  <button
                    type="button"
                    aria-label={t('admin.location.editNamed', { name: s.location.name })}
                    onClick={() => {
                      draft.value = { id: s.location.id, name: s.location.name, timeZone: s.location.timeZone, address: s.location.address ?? '' };
                      document.getElementById(nameId)?.focus();
                    }}
                  >
                    {t('admin.edit')}
                  </button>
                  <button
                    type="button"
                    id={`location-${s.location.id}-delete`}
                    aria-label={t('admin.location.deleteNamed', { name: s.location.name })}
                    onClick={async () => {
                      // Current counts: the confirmation must say what deleting affects now.
                      await state.reload();
                      deleting.value = state.locations.value?.find((x) => x.location.id === s.location.id) ?? s;
                    }}
                  >
                    {t('admin.delete')}
                  </button>
                </div>
              </td>
            </tr>
          ))}
        </DataTable>
      )}

      {deleting.value ? (
        <ConfirmPanel
          title={t('admin.location.deleteTitle', { name: deleting.value.location.name })}
          confirmLabel={t('admin.location.deleteConfirm')}
          onConfirm={() => void remove(deleting.value!)}
          onCancel={() => {
            const id = deleting.value!.location.id;
            deleting.value = null;
            document.getElementById(`location-${id}-delete`)?.focus();
          }}
        >
          <ul>
            <li>{t('admin.location.deleteRemoves')}</li>
            <li>{t('admin.location.deleteKeeps', { units: deleting.value.counts.units, locks: deleting.value.counts.locks })}</li>
            {deleting.value.counts.bookings > 0 ? <li>{t('admin.location.deleteBookings', { n: deleting.value.counts.bookings })}</li> : null}
          </ul>
        </ConfirmPanel>
      ) : null}

      <form onSubmit={(e) => void save(e)} aria-labelledby={`${nameId}-legend`}>
        <h3 id={`${nameId}-legend`}>{draft.value.id ? t('admin.location.editHeading') : t('admin.location.createHeading')}</h3>
        <Field id={nameId} label={t('admin.location.name')} error={fieldErrors.value.name}>
          <input
            id={nameId}
            required
            maxLength={200}
            value={draft.value.name}
            aria-invalid={fieldErrors.value.name ? 'true' : undefined}
            aria-describedby={describedBy(nameId, false, fieldErrors.value.name)}
            onInput={(e) => (draft.value = { ...draft.value, name: e.currentTarget.value })}
          />
        </Field>
        <Field id={zoneId} label={t('admin.location.timeZone')} hint={t('admin.location.timeZoneHint')} error={zoneError}>
          <input
            id={zoneId}
            list={zonesId}
            required
            autocomplete="off"
            value={draft.value.timeZone}
            aria-invalid={zoneError ? 'true' : undefined}
            aria-describedby={describedBy(zoneId, true, zoneError)}
            onInput={(e) => (draft.value = { ...draft.value, timeZone: e.currentTarget.value })}
          />
          <datalist id={zonesId}>
            {timeZones().map((z) => (
              <option key={z} value={z} />
            ))}
          </datalist>
        </Field>
        <Field id={addressId} label={t('admin.location.address')}>
          <textarea
            id={addressId}
            rows={2}
            maxLength={500}
            value={draft.value.address}
            onInput={(e) => (draft.value = { ...draft.value, address: e.currentTarget.value })}
          />
        </Field>
        <div class="actions">
          <button type="submit" disabled={busy.value !== null || Boolean(zoneError)}>
            {draft.value.id ? t('common.save') : t('admin.location.create')}
          </button>
          {draft.value.id ? (
            <button type="button" onClick={() => (draft.value = emptyDraft())}>
              {t('common.cancel')}
            </button>
          ) : null}
        </div>
      </form>
      <StatusMessage notice={notice.value} />
    </Section>
  );
}
