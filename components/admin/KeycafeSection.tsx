import { useSignal } from '@preact/signals';
import { useId } from 'preact/hooks';
import type { AdminResponseMap } from '../../lib/admin-messages.ts';
import { StatusMessage } from '../StatusMessage.tsx';
import { useUi } from '../ui-context.ts';
import { InputField, SecretField, NeedsLocation, Section, useAction, type AdminState } from './shared.tsx';

/**
 * Integrations → Keycafe → Connect: the account email and API key or token (write-only: shown
 * as stored, replaceable), then a test listing the keys and SmartBox locations it sees.
 */
export function KeycafeSection({ state }: { state: AdminState }) {
  const { t } = useUi();
  return (
    <Section id="keycafe" title={t('admin.keycafe.heading')}>
      <NeedsLocation state={state}>{(location) => <KeycafeForm key={location.id} state={state} locationId={location.id} />}</NeedsLocation>
    </Section>
  );
}

function KeycafeForm({ state, locationId }: { state: AdminState; locationId: string }) {
  const { t, send } = useUi();
  const { busy, notice, fieldErrors, run } = useAction();
  const location = state.locations.value?.find((l) => l.location.id === locationId)?.location;
  const email = useSignal(location?.keycafe?.accountEmail ?? '');
  const token = useSignal('');
  const seen = useSignal<AdminResponseMap['adminTestKeycafe'] | null>(null);
  const ids = { email: useId(), token: useId() };
  const stored = location?.keycafe?.hasToken ?? false;

  async function saveAndTest(e: Event) {
    e.preventDefault();
    seen.value = null;
    const saved = await run('save', () =>
      send({ type: 'adminSaveKeycafe', locationId, accountEmail: email.value.trim(), ...(token.value ? { apiToken: token.value } : {}) }),
    );
    if (!saved) return;
    token.value = '';
    await state.reload();
    await test();
  }

  async function test() {
    const result = await run(
      'test',
      () => send({ type: 'adminTestKeycafe', locationId }),
      (r) => t('admin.keycafe.test.ok', { keys: r.result.keys, locations: r.result.locations }),
    );
    if (result) seen.value = result;
  }

  return (
    <>
      <form onSubmit={(e) => void saveAndTest(e)}>
        <InputField
          id={ids.email}
          label={t('admin.keycafe.email')}
          error={fieldErrors.value.accountEmail}
          type="email"
          required
          autocomplete="off"
          value={email.value}
          onValue={(v) => (email.value = v)}
        />
        <SecretField
          id={ids.token}
          label={t('admin.keycafe.token')}
          stored={stored}
          hint={stored ? t('admin.keycafe.tokenStored') : t('admin.keycafe.tokenHint')}
          error={fieldErrors.value.apiToken}
          value={token.value}
          onValue={(v) => (token.value = v)}
        />
        <div class="actions">
          <button type="submit" disabled={busy.value !== null}>
            {t('admin.keycafe.saveAndTest')}
          </button>
          <button type="button" disabled={busy.value !== null || !location?.keycafe} onClick={() => void test()}>
            {t('admin.keycafe.test')}
          </button>
        </div>
      </form>
      {busy.value ? <p class="hint">{t('common.loading')}</p> : null}
      {seen.value ? (
        <div class="test-result">
          <h3>{t('admin.keycafe.sees', { email: seen.value.result.accountEmail })}</h3>
          <h4>{t('admin.keycafe.smartboxes', { n: seen.value.locations.length })}</h4>
          <ul>
            {seen.value.locations.map((l) => (
              <li key={l.id}>
                {l.name}
                {l.address ? ` — ${l.address}` : ''}
                {l.timeZone ? ` (${l.timeZone})` : ''}
              </li>
            ))}
          </ul>
          <h4>{t('admin.keycafe.keys', { n: seen.value.keys.length })}</h4>
          <ul class="columns">
            {seen.value.keys.map((k) => (
              <li key={k.id}>
                {k.name}
                {k.locationName ? ` — ${k.locationName}` : ''}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      <StatusMessage notice={notice.value} />
    </>
  );
}
