import { useSignal } from '@preact/signals';
import { useEffect, useId } from 'preact/hooks';
import type { KeycafeConnectionView, KeycafeTestView } from '../../lib/messages.ts';
import { describeError } from '../describe-error.ts';
import { StatusMessage, type Notice } from '../StatusMessage.tsx';
import { useUi } from '../ui-context.ts';

type AuthChoice = 'auto' | 'token' | 'key';

/**
 * A location's Keycafe account: email, which credential the admin holds (API token or API
 * key: docs.keycafe.com/reference/authentication-1) with how to get each, and "Test
 * connection", which lists every Keycafe call it made and what failed. "Not sure" tries both
 * and the server keeps the one that works.
 */
export function KeycafeConnectionSettings({ connectionKey }: { connectionKey?: number }) {
  const { t, send } = useUi();
  const items = useSignal<KeycafeConnectionView[] | null>(null);
  const locationId = useSignal('');
  const email = useSignal('');
  const secret = useSignal('');
  const authType = useSignal<AuthChoice>('auto');
  const notice = useSignal<Notice | null>(null);
  const result = useSignal<KeycafeTestView | null>(null);
  const busy = useSignal(false);
  const id = useId();

  const current = () => items.value?.find((i) => i.locationId === locationId.value) ?? null;
  const pick = (c: KeycafeConnectionView | null) => {
    locationId.value = c?.locationId ?? '';
    email.value = c?.accountEmail ?? '';
    authType.value = c?.authType ?? 'auto';
    secret.value = '';
    result.value = null;
  };

  useEffect(() => {
    send({ type: 'keycafeConnections' })
      .then((r) => {
        items.value = r.items;
        pick(r.items.find((i) => i.accountEmail) ?? r.items[0] ?? null);
      })
      .catch((err) => (notice.value = { tone: 'error', text: describeError(t, err) }));
  }, [connectionKey]);

  const credentials = () => ({
    locationId: locationId.value,
    ...(email.value.trim() ? { accountEmail: email.value.trim() } : {}),
    ...(secret.value ? { secret: secret.value } : {}),
    ...(authType.value !== 'auto' ? { authType: authType.value } : {}),
  });

  async function test() {
    if (!locationId.value) return;
    busy.value = true;
    result.value = null;
    notice.value = { tone: 'info', text: t('kcconnect.testing') };
    try {
      const r = await send({ type: 'keycafeTestConnection', ...credentials() });
      result.value = r;
      notice.value = r.ok
        ? { tone: 'success', text: t('kcconnect.ok', { authType: t(r.authType === 'key' ? 'kcconnect.authType.key' : 'kcconnect.authType.token'), keys: r.keys, locations: r.locations }) }
        : { tone: 'error', text: r.message };
    } catch (err) {
      notice.value = { tone: 'error', text: describeError(t, err) };
    } finally {
      busy.value = false;
    }
  }

  async function save(e: Event) {
    e.preventDefault();
    if (!locationId.value || !email.value.trim()) return;
    busy.value = true;
    try {
      const saved = await send({ type: 'keycafeSaveConnection', ...credentials(), accountEmail: email.value.trim() });
      items.value = (items.value ?? []).map((i) => (i.locationId === saved.locationId ? saved : i));
      secret.value = '';
      notice.value = { tone: 'success', text: t('kcconnect.saved') };
    } catch (err) {
      notice.value = { tone: 'error', text: describeError(t, err) };
      busy.value = false;
      return;
    }
    busy.value = false;
    await test();
  }

  const r = result.value;
  return (
    <section aria-labelledby={`${id}-h`}>
      <h2 id={`${id}-h`}>{t('kcconnect.heading')}</h2>
      {items.value && items.value.length === 0 ? <p>{t('kcconnect.noLocations')}</p> : null}
      {items.value && items.value.length > 0 ? (
        <form onSubmit={(e) => void save(e)} noValidate>
          <div class="field">
            <label for={`${id}-loc`}>{t('kcconnect.location.label')}</label>
            <select id={`${id}-loc`} value={locationId.value} onChange={(e) => pick(items.value!.find((i) => i.locationId === (e.currentTarget as HTMLSelectElement).value) ?? null)}>
              {items.value.map((i) => (
                <option key={i.locationId} value={i.locationId}>
                  {i.name}
                </option>
              ))}
            </select>
          </div>
          <div class="field">
            <label for={`${id}-email`}>{t('kcconnect.email.label')}</label>
            <input id={`${id}-email`} type="email" autocomplete="off" value={email.value} onInput={(e) => (email.value = (e.currentTarget as HTMLInputElement).value)} />
          </div>
          <fieldset class="field">
            <legend>{t('kcconnect.authType.label')}</legend>
            {(['auto', 'token', 'key'] as const).map((choice) => (
              <div key={choice}>
                <input
                  id={`${id}-auth-${choice}`}
                  type="radio"
                  name={`${id}-auth`}
                  value={choice}
                  checked={authType.value === choice}
                  aria-describedby={choice === 'auto' ? undefined : `${id}-how-${choice}`}
                  onChange={() => (authType.value = choice)}
                />
                <label for={`${id}-auth-${choice}`}>{t(`kcconnect.authType.${choice}`)}</label>
                {choice === 'auto' ? null : (
                  <p id={`${id}-how-${choice}`} class="hint">
                    {t(choice === 'token' ? 'kcconnect.authType.tokenHow' : 'kcconnect.authType.keyHow')}
                  </p>
                )}
              </div>
            ))}
          </fieldset>
          <div class="field">
            <label for={`${id}-secret`}>{t('kcconnect.secret.label')}</label>
            <input
              id={`${id}-secret`}
              type="password"
              autocomplete="off"
              value={secret.value}
              aria-describedby={current()?.hasSecret ? `${id}-keep` : undefined}
              onInput={(e) => (secret.value = (e.currentTarget as HTMLInputElement).value)}
            />
            {current()?.hasSecret ? (
              <p id={`${id}-keep`} class="hint">
                {t('kcconnect.secret.keep')}
              </p>
            ) : null}
          </div>
          <div class="actions">
            <button type="submit" disabled={busy.value}>
              {t('kcconnect.save')}
            </button>
            <button type="button" disabled={busy.value} onClick={() => void test()}>
              {t('kcconnect.test')}
            </button>
          </div>
        </form>
      ) : null}
      <StatusMessage notice={notice.value} />
      {r && r.calls.length ? (
        <>
          <h3 id={`${id}-calls`}>{t('kcconnect.calls')}</h3>
          <ol aria-labelledby={`${id}-calls`} data-testid="keycafe-test-calls">
            {r.calls.map((c, i) => (
              <li key={i}>
                <code>{c.call}</code> ({t(c.authType === 'key' ? 'kcconnect.authType.key' : 'kcconnect.authType.token')}): {c.ok ? t('kcconnect.call.ok') : `${t('kcconnect.callFailed')} — ${c.message}`}
              </li>
            ))}
          </ol>
          {r.ok && r.skipped > 0 ? <p class="hint">{t('kcconnect.skipped', { count: r.skipped })}</p> : null}
        </>
      ) : null}
    </section>
  );
}
