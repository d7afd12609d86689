import { useSignal } from '@preact/signals';
import { useEffect, useId, useMemo } from 'preact/hooks';
import type { LocationSummary } from '../../lib/admin-messages.ts';
import { describeError } from '../describe-error.ts';
import { useUi } from '../ui-context.ts';
import { FullSyncSection } from './FullSyncSection.tsx';
import { HealthSection } from './HealthSection.tsx';
import { KeycafeSection } from './KeycafeSection.tsx';
import { LocationsSection } from './LocationsSection.tsx';
import { LocksSection } from './LocksSection.tsx';
import { NoticesSection } from './NoticesSection.tsx';
import { createMessageMappingProposalApi } from './mapping-proposal-message-api.ts';
import { MappingReview } from './MappingReview.tsx';
import { currentLocation, type AdminSectionId, type AdminState } from './shared.tsx';
import { SyncModeSection } from './SyncModeSection.tsx';
import { TapkeySection } from './TapkeySection.tsx';

export interface AdminPageProps {
  /** Opens the extension options (API URL and token live there). */
  openOptions: () => void;
  /** The last location worked on, kept across visits by the host. */
  initialLocationId?: string | null;
  onLocationChange?: (id: string | null) => void;
}

const sections: { id: AdminSectionId; key: Parameters<ReturnType<typeof useUi>['t']>[0] }[] = [
  { id: 'locations', key: 'admin.locations.heading' },
  { id: 'tapkey', key: 'admin.tapkey.heading' },
  { id: 'keycafe', key: 'admin.keycafe.heading' },
  { id: 'sync-mode', key: 'admin.syncMode.heading' },
  { id: 'locks', key: 'admin.locks.heading' },
  { id: 'site-mapping', key: 'admin.siteMapping.heading' },
  { id: 'full-sync', key: 'admin.fullSync.heading' },
  { id: 'notices', key: 'admin.notices.heading' },
  { id: 'health', key: 'admin.health.heading' },
];

/**
 * The AccessBridge admin page: a location's whole set-up and operation, every call a message to
 * the background (which holds the API token). The sections work on the location chosen at the
 * top; Locations manages the list itself.
 */
export function AdminPage({ openOptions, initialLocationId = null, onLocationChange }: AdminPageProps) {
  const { t, send } = useUi();
  const locations = useSignal<LocationSummary[] | null>(null);
  const locationId = useSignal<string | null>(initialLocationId);
  const pendingSearch = useSignal<AdminState['pendingSearch']['value']>(null);
  const loadError = useSignal<string | null>(null);
  const pickerId = useId();

  async function reload() {
    try {
      const { items } = await send({ type: 'adminLocations' });
      locations.value = items;
      loadError.value = null;
      if (!items.some((s) => s.location.id === locationId.value)) locationId.value = items[0]?.location.id ?? null;
    } catch (error) {
      loadError.value = describeError(t, error);
      locations.value = locations.value ?? [];
    }
  }

  const state: AdminState = {
    locations,
    locationId,
    reload,
    pendingSearch,
    goTo(section, focus) {
      if (focus?.search !== undefined) pendingSearch.value = { section, search: focus.search };
      const target = document.getElementById(section);
      target?.scrollIntoView?.({ block: 'start' });
      target?.focus();
    },
  };

  useEffect(() => void reload(), []);
  useEffect(() => onLocationChange?.(locationId.value), [locationId.value]);

  return (
    <main>
      <header class="admin-header">
        <h1>{t('admin.title')}</h1>
        <p class="hint">{t('admin.subtitle')}</p>
        {loadError.value ? (
          <div role="alert" class="ab-alert">
            <p>{loadError.value}</p>
            <button type="button" onClick={openOptions}>
              {t('admin.openOptions')}
            </button>
          </div>
        ) : null}
        <div class="field location-picker">
          <label for={pickerId}>{t('admin.location.current')}</label>
          <select
            id={pickerId}
            value={locationId.value ?? ''}
            disabled={!locations.value?.length}
            onChange={(e) => (locationId.value = e.currentTarget.value || null)}
          >
            {!locations.value?.length ? <option value="">{t('admin.locations.none')}</option> : null}
            {locations.value?.map((s) => (
              <option key={s.location.id} value={s.location.id}>
                {s.location.name}
              </option>
            ))}
          </select>
        </div>
      </header>
      <nav aria-label={t('admin.nav')}>
        <ul>
          {sections.map((s) => (
            <li key={s.id}>
              <a
                href={`#${s.id}`}
                onClick={(e) => {
                  e.preventDefault();
                  state.goTo(s.id);
                }}
              >
                {t(s.key)}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      <LocationsSection state={state} />
      <TapkeySection state={state} />
      <KeycafeSection state={state} />
      <SyncModeSection state={state} />
      <LocksSection state={state} />
      <SiteMappingSection state={state} />
      <FullSyncSection state={state} />
      <NoticesSection state={state} />
      <HealthSection state={state} />
    </main>
  );
}

/**
 * The whole-site mapping review (components/admin/MappingReview.tsx) for the location chosen
 * at the top; its own section heading names it in the page's outline.
 */
function SiteMappingSection({ state }: { state: AdminState }) {
  const { t, send } = useUi();
  const api = useMemo(() => createMessageMappingProposalApi(send, t), [send, t]);
  const location = currentLocation(state);
  return (
    <div id="site-mapping" tabIndex={-1}>
      {location ? (
        <MappingReview key={location.id} api={api} locationId={location.id} />
      ) : (
        <section aria-labelledby="site-mapping-heading">
          <h2 id="site-mapping-heading">{t('admin.siteMapping.heading')}</h2>
          <p class="hint">{t('admin.location.chooseFirst')}</p>
        </section>
      )}
    </div>
  );
}
