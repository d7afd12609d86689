import { useSignal } from '@preact/signals';
import { useId } from 'preact/hooks';
import type { SettingsView } from '../lib/messages.ts';
import { describeError } from './describe-error.ts';
import { StatusMessage, type Notice } from './StatusMessage.tsx';
import { useUi } from './ui-context.ts';

export interface PortalOriginsProps {
  settings: SettingsView;
  onSaved: (settings: SettingsView) => void;
  requestOrigin: (origin: string) => Promise<boolean>;
}

/** Tapkey portal addresses the content script runs on: the default plus the user's own. */
export function PortalOrigins({ settings, onSaved, requestOrigin }: PortalOriginsProps) {
  const { t, send } = useUi();
  const value = useSignal('');
  const fieldError = useSignal<string | null>(null);
  const notice = useSignal<Notice | null>(null);
  const headingId = useId();
  const inputId = useId();
  const hintId = useId();
  const errorId = useId();

  async function add(e: Event) {
    e.preventDefault();
    let origin: string;
    try {
      const url = new URL(value.value.trim());
      if (!/^https?:$/.test(url.protocol)) throw new Error('protocol');
      origin = url.origin;
    } catch {
      fieldError.value = t('options.portal.invalid');
      return;
    }
    fieldError.value = null;
    // First thing in the submit handler: the permission prompt needs the user's gesture.
    const granted = origin === settings.defaultPortalOrigin || (await requestOrigin(origin));
    if (!granted) {
      notice.value = { tone: 'error', text: t('options.origin.denied', { origin }) };
      return;
    }
    try {
      onSaved(await send({ type: 'addPortalOrigin', origin }));
      value.value = '';
      notice.value = { tone: 'success', text: t('options.portal.added', { origin }) };
    } catch (error) {
      notice.value = { tone: 'error', text: describeError(t, error) };
    }
  }

  async function remove(origin: string) {
    try {
      onSaved(await send({ type: 'removePortalOrigin', origin }));
      notice.value = { tone: 'success', text: t('options.portal.removed', { origin }) };
    } catch (error) {
      notice.value = { tone: 'error', text: describeError(t, error) };
    }
  }

  return (
    <section aria-labelledby={headingId}>
      <h2 id={headingId}>{t('options.portal.heading')}</h2>
      <ul class="origins">
        <li>{t('options.portal.default', { origin: settings.defaultPortalOrigin })}</li>
        {settings.portalOrigins.map((origin) => (
          <li key={origin}>
            <span>{origin}</span>{' '}
            <button type="button" onClick={() => void remove(origin)} aria-label={t('options.portal.remove', { origin })}>
              {t('options.portal.removeShort')}
            </button>
          </li>
        ))}
      </ul>
      <form onSubmit={(e) => void add(e)} noValidate>
        <div class="field">
          <label for={inputId}>{t('options.portal.label')}</label>
          <input
            id={inputId}
            type="url"
            value={value.value}
            aria-invalid={fieldError.value ? 'true' : undefined}
            aria-describedby={fieldError.value ? `${errorId} ${hintId}` : hintId}
            onInput={(e) => (value.value = (e.currentTarget as HTMLInputElement).value)}
          />
          <p id={hintId} class="hint">
            {t('options.portal.hint')}
          </p>
          {fieldError.value ? (
            <p id={errorId} class="field-error">
              {fieldError.value}
            </p>
          ) : null}
        </div>
        <button type="submit">{t('options.portal.add')}</button>
      </form>
      <StatusMessage notice={notice.value} />
    </section>
  );
}
