import { useSignal } from '@preact/signals';
import { useId } from 'preact/hooks';
import { originOf, type SettingsView } from '../lib/messages.ts';
import { bridgeErrorOf, describeError } from './describe-error.ts';
import { StatusMessage, type Notice } from './StatusMessage.tsx';
import { useUi } from './ui-context.ts';

export interface ConnectionSettingsProps {
  settings: SettingsView;
  onSaved: (settings: SettingsView) => void;
  /** Asks the user for a host permission (needs the click that called it). */
  requestOrigin: (origin: string) => Promise<boolean>;
  /** Called after a successful test, e.g. to load the locations. */
  onConnected?: () => void;
}

/** The API's origin, for http(s) addresses only (what the permission prompt can ask for). */
const webOriginOf = (url: string) => {
  const origin = originOf(url.trim());
  return origin && /^https?:/.test(origin) ? origin : null;
};

/** API URL + token with Save and "Test connection" ("Connected to <organization>"). */
export function ConnectionSettings({ settings, onSaved, requestOrigin, onConnected }: ConnectionSettingsProps) {
  const { t, send } = useUi();
  const apiUrl = useSignal(settings.apiUrl);
  const token = useSignal('');
  const urlError = useSignal<string | null>(null);
  const notice = useSignal<Notice | null>(null);
  const busy = useSignal(false);
  /** Set when the API could not be reached and we hold no permission for its origin. */
  const askOrigin = useSignal<string | null>(null);
  const urlId = useId();
  const urlHintId = useId();
  const urlErrorId = useId();
  const tokenId = useId();
  const tokenHintId = useId();

  function validUrl(): string | null {
    const value = apiUrl.value.trim();
    urlError.value = !value ? t('options.apiUrl.required') : webOriginOf(value) ? null : t('options.apiUrl.invalid');
    return urlError.value ? null : value;
  }

  async function test() {
    const url = validUrl();
    if (!url) return;
    busy.value = true;
    askOrigin.value = null;
    notice.value = { tone: 'info', text: t('options.testing') };
    try {
      const info = await send({ type: 'testConnection', apiUrl: url, ...(token.value.trim() ? { token: token.value.trim() } : {}) });
      notice.value = { tone: 'success', text: t('options.connected', { org: info.organization.name }) };
      onConnected?.();
    } catch (error) {
      const e = bridgeErrorOf(error);
      notice.value = { tone: 'error', text: describeError(t, error) };
      if (e.kind === 'unreachable' && e.originPermission === false) askOrigin.value = webOriginOf(url);
    } finally {
      busy.value = false;
    }
  }

  async function save(e: Event) {
    e.preventDefault();
    const url = validUrl();
    if (!url) return;
    busy.value = true;
    try {
      const saved = await send({ type: 'saveSettings', apiUrl: url, ...(token.value.trim() ? { token: token.value.trim() } : {}) });
      token.value = '';
      apiUrl.value = saved.apiUrl;
      onSaved(saved);
    } catch (error) {
      notice.value = { tone: 'error', text: describeError(t, error) };
      busy.value = false;
      return;
    }
    busy.value = false;
    await test();
  }

  async function allowOrigin(origin: string) {
    // Must run straight from the click: browsers only show permission prompts for a gesture.
    const granted = await requestOrigin(origin);
    if (!granted) {
      notice.value = { tone: 'error', text: t('options.origin.denied', { origin }) };
      return;
    }
    await test();
  }

  return (
    <section aria-labelledby={`${urlId}-h`}>
      <h2 id={`${urlId}-h`}>{t('options.connection.heading')}</h2>
      <form onSubmit={(e) => void save(e)} noValidate>
        <div class="field">
          <label for={urlId}>{t('options.apiUrl.label')}</label>
          <input
            id={urlId}
            type="url"
            inputMode="url"
            autocomplete="url"
            required
            value={apiUrl.value}
            aria-invalid={urlError.value ? 'true' : undefined}
            aria-describedby={urlError.value ? `${urlErrorId} ${urlHintId}` : urlHintId}
            onInput={(e) => (apiUrl.value = (e.currentTarget as HTMLInputElement).value)}
          />
          <p id={urlHintId} class="hint">
            {t('options.apiUrl.hint')}
          </p>
          {urlError.value ? (
            <p id={urlErrorId} class="field-error">
              {urlError.value}
            </p>
          ) : null}
        </div>
        <div class="field">
          <label for={tokenId}>{t('options.token.label')}</label>
          <input
            id={tokenId}
            type="password"
            autocomplete="off"
            spellcheck={false}
            value={token.value}
            aria-describedby={tokenHintId}
            onInput={(e) => (token.value = (e.currentTarget as HTMLInputElement).value)}
          />
          <p id={tokenHintId} class="hint">
            {settings.hasToken ? t('options.token.stored', { hint: settings.tokenHint ?? '' }) : t('options.token.hint')}
          </p>
        </div>
        <div class="actions">
          <button type="submit" disabled={busy.value}>
            {t('common.save')}
          </button>
          <button type="button" disabled={busy.value} onClick={() => void test()}>
            {t('options.test')}
          </button>
          {askOrigin.value ? (
            <button type="button" onClick={() => void allowOrigin(askOrigin.value!)}>
              {t('options.origin.allow', { origin: askOrigin.value })}
            </button>
          ) : null}
        </div>
      </form>
      <StatusMessage notice={notice.value} />
    </section>
  );
}
