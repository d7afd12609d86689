import { useSignal } from '@preact/signals';
import { useEffect } from 'preact/hooks';
import type { Language } from '../lib/i18n/index.ts';
import type { SettingsView } from '../lib/messages.ts';
import { ConnectionSettings } from './ConnectionSettings.tsx';
import { describeError } from './describe-error.ts';
import { KeycafeConnectionSettings } from './options/KeycafeConnectionSettings.tsx';
import { ManagerOptions } from './options/ManagerOptions.tsx';
import { SetupGuide } from './options/SetupGuide.tsx';
import { PortalOrigins } from './PortalOrigins.tsx';
import { PreferencesSettings } from './PreferencesSettings.tsx';
import { QueueList } from './QueueList.tsx';
import { StatusMessage } from './StatusMessage.tsx';
import { useUi } from './ui-context.ts';

export interface OptionsPageProps {
  requestOrigin: (origin: string) => Promise<boolean>;
  /** Bumped by the host when the stored queue changes. */
  queueVersion: number;
  onLanguage: (lang: Language) => void;
}

/** The extension's options: connection, preferences, portal addresses, queued changes. */
export function OptionsPage({ requestOrigin, queueVersion, onLanguage }: OptionsPageProps) {
  const { t, send } = useUi();
  const settings = useSignal<SettingsView | null>(null);
  const loadError = useSignal<string | null>(null);
  const connectionKey = useSignal(0);

  useEffect(() => {
    send({ type: 'getSettings' }).then(
      (s) => {
        settings.value = s;
        onLanguage(s.effectiveLanguage);
      },
      (error: unknown) => (loadError.value = describeError(t, error)),
    );
  }, []);

  const saved = (s: SettingsView) => {
    settings.value = s;
    onLanguage(s.effectiveLanguage);
  };

  const s = settings.value;
  return (
    <main>
      <h1>{t('options.title')}</h1>
      <p class="admin-link">
        {/* An extension page of ours: opens in a new tab next to the options. */}
        <a href="/admin.html" target="_blank" rel="noopener">
          {t('admin.open')}
        </a>{' '}
        <span class="hint">{t('admin.openHint')}</span>
      </p>
      {!s ? (
        loadError.value ? <StatusMessage notice={{ tone: 'error', text: loadError.value }} /> : <p>{t('common.loading')}</p>
      ) : (
        <>
          <SetupGuide settings={s} />
          <ConnectionSettings settings={s} onSaved={saved} requestOrigin={requestOrigin} onConnected={() => connectionKey.value++} />
          <PreferencesSettings settings={s} onSaved={saved} connectionKey={connectionKey.value} />
          <KeycafeConnectionSettings connectionKey={connectionKey.value} />
          <PortalOrigins settings={s} onSaved={saved} requestOrigin={requestOrigin} />
          <ManagerOptions />
          <QueueList version={queueVersion} />
        </>
      )}
    </main>
  );
}
