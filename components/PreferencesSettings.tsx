import { useSignal } from '@preact/signals';
import { useEffect, useId } from 'preact/hooks';
import { languages, type Language } from '../lib/i18n/index.ts';
import type { Location } from '../lib/contract.ts';
import type { SettingsView } from '../lib/messages.ts';
import { describeError } from './describe-error.ts';
import { StatusMessage, type Notice } from './StatusMessage.tsx';
import { useUi } from './ui-context.ts';

export interface PreferencesSettingsProps {
  settings: SettingsView;
  onSaved: (settings: SettingsView) => void;
  /** Changes when the connection changes, to reload the locations. */
  connectionKey: number;
}

type LocationsState = { status: 'idle' } | { status: 'loading' } | { status: 'error' } | { status: 'ready'; items: Location[] };

/** The location whose units the mapping dialog lists, and the interface language. */
export function PreferencesSettings({ settings, onSaved, connectionKey }: PreferencesSettingsProps) {
  const { t, send } = useUi();
  const locations = useSignal<LocationsState>({ status: 'idle' });
  const notice = useSignal<Notice | null>(null);
  const headingId = useId();
  const locationId = useId();
  const languageId = useId();

  async function load() {
    if (!settings.apiUrl || !settings.hasToken) return;
    locations.value = { status: 'loading' };
    try {
      locations.value = { status: 'ready', items: (await send({ type: 'listLocations' })).items };
    } catch (error) {
      locations.value = { status: 'error' };
      notice.value = { tone: 'error', text: describeError(t, error) };
    }
  }

  useEffect(() => {
    void load();
  }, [connectionKey, settings.apiUrl, settings.hasToken]);

  async function save(change: { locationId?: string | null; language?: Language | null }) {
    try {
      onSaved(await send({ type: 'savePreferences', ...change }));
      notice.value = { tone: 'success', text: t('options.preferences.saved') };
    } catch (error) {
      notice.value = { tone: 'error', text: describeError(t, error) };
    }
  }

  const l = locations.value;
  const items = l.status === 'ready' ? l.items : [];
  return (
    <section aria-labelledby={headingId}>
      <h2 id={headingId}>{t('options.preferences.heading')}</h2>
      <div class="field">
        <label for={locationId}>{t('options.location.label')}</label>
        <select
          id={locationId}
          value={settings.locationId ?? ''}
          disabled={l.status !== 'ready'}
          onChange={(e) => void save({ locationId: (e.currentTarget as HTMLSelectElement).value || null })}
        >
          <option value="">{t('options.location.all')}</option>
          {items.map((loc) => (
            <option key={loc.id} value={loc.id}>
              {loc.name}
            </option>
          ))}
          {settings.locationId && !items.some((i) => i.id === settings.locationId) ? (
            <option value={settings.locationId}>{t('options.location.unknown')}</option>
          ) : null}
        </select>
        <p class="hint">
          {l.status === 'loading'
            ? t('common.loading')
            : l.status === 'ready' && !items.length
              ? t('options.location.none')
              : l.status === 'idle'
                ? t('options.location.connectFirst')
                : t('options.location.hint')}
        </p>
        {l.status === 'error' ? (
          <button type="button" onClick={() => void load()}>
            {t('common.retry')}
          </button>
        ) : null}
      </div>
      <div class="field">
        <label for={languageId}>{t('options.language.label')}</label>
        <select
          id={languageId}
          value={settings.language ?? ''}
          onChange={(e) => void save({ language: ((e.currentTarget as HTMLSelectElement).value || null) as Language | null })}
        >
          <option value="">{t('options.language.auto')}</option>
          {languages.map((lang) => (
            <option key={lang} value={lang}>
              {t(`options.language.${lang}`)}
            </option>
          ))}
        </select>
      </div>
      <StatusMessage notice={notice.value} />
    </section>
  );
}
