import { useSignal } from '@preact/signals';
import { useId } from 'preact/hooks';
import type { TapkeyConnectionTest, TapkeyOwnerAccounts } from '../../lib/contract.ts';
import type { MessageKey } from '../../lib/i18n/index.ts';
import { StatusMessage } from '../StatusMessage.tsx';
import { useUi } from '../ui-context.ts';
import { currentLocation, InputField, SecretField, Section, useAction, type AdminState } from './shared.tsx';

/** Where the seed's Step 1 sends the user for the OAuth client (the Tapkey Integrator portal). */
export const TAPKEY_INTEGRATOR_PORTAL = 'https://portal.tapkey.io';

type Problem = TapkeyConnectionTest['problems'][number];

/** What to change where, per problem the API names (its own sentence follows). */
const problemHint: Record<Problem['code'], MessageKey> = {
  bad_credentials: 'admin.tapkey.problem.bad_credentials',
  scope_missing: 'admin.tapkey.problem.scope_missing',
  not_co_admin: 'admin.tapkey.problem.not_co_admin',
  owner_not_found: 'admin.tapkey.problem.owner_not_found',
  forbidden: 'admin.tapkey.problem.forbidden',
  unreachable: 'admin.tapkey.problem.unreachable',
  rate_limited: 'admin.tapkey.problem.rate_limited',
  provider_error: 'admin.tapkey.problem.provider_error',
};

/** The checks a test shows, each passed, failed or not reached. */
export function tapkeyChecks(test: TapkeyConnectionTest): { key: MessageKey; state: 'ok' | 'failed' | 'skipped'; params?: Record<string, string | number> }[] {
  const codes = new Set(test.problems.map((p) => p.code));
  const loginFailed = codes.has('bad_credentials') || (test.owners.length === 0 && (codes.has('unreachable') || codes.has('rate_limited')));
  const ownersFailed = loginFailed || codes.has('not_co_admin') || (test.owners.length === 0 && codes.has('scope_missing'));
  return [
    { key: 'admin.tapkey.check.login', state: loginFailed ? 'failed' : 'ok' },
    { key: 'admin.tapkey.check.owners', state: loginFailed ? 'skipped' : ownersFailed ? 'failed' : 'ok', params: { n: test.owners.length } },
    { key: 'admin.tapkey.check.owner', state: ownersFailed ? 'skipped' : test.ownerFound ? 'ok' : 'failed', params: { id: test.ownerAccountId } },
    {
      key: 'admin.tapkey.check.locks',
      state: !test.ownerFound ? 'skipped' : test.lockCount === null ? 'failed' : 'ok',
      params: { n: test.lockCount ?? 0 },
    },
    { key: 'admin.tapkey.check.grants', state: !test.ownerFound || test.lockCount === null ? 'skipped' : codes.has('forbidden') ? 'failed' : 'ok' },
  ];
}

/**
 * Integrations → Tapkey → Connect, in the order of the seed's Step 1: the locations, the
 * Integrator-portal checklist, client ID and (write-only) secret, the locking system picked from
 * what the client can see or pasted, then "Test connection" with each check and what to fix.
 */
export function TapkeySection({ state }: { state: AdminState }) {
  const current = currentLocation(state);
  const { t } = useUi();
  // A new form per location, starting from its stored settings (never its secret: only "stored").
  return (
    <Section id="tapkey" title={t('admin.tapkey.heading')}>
      <TapkeyForm key={current?.id ?? 'none'} state={state} />
    </Section>
  );
}

function TapkeyForm({ state }: { state: AdminState }) {
  const { t, send } = useUi();
  const { busy, notice, fieldErrors, run } = useAction();
  const current = currentLocation(state);
  const chosen = useSignal<string[]>(current ? [current.id] : []);
  const clientId = useSignal(current?.tapkey?.clientId ?? '');
  const secret = useSignal('');
  const owner = useSignal(current?.tapkey?.ownerAccountId ?? '');
  const owners = useSignal<TapkeyOwnerAccounts | null>(null);
  const test = useSignal<TapkeyConnectionTest | null>(null);
  const ids = { clientId: useId(), secret: useId(), owner: useId(), locations: useId() };

  const stored = current?.tapkey?.hasSecret ?? false;
  const all = state.locations.value ?? [];

  async function findOwners() {
    if (!chosen.value[0]) return;
    owners.value = null;
    const found = await run('owners', () =>
      send({
        type: 'adminTapkeyOwners',
        locationId: chosen.value[0]!,
        ...(clientId.value.trim() ? { clientId: clientId.value.trim() } : {}),
        ...(secret.value ? { clientSecret: secret.value } : {}),
      }),
    );
    if (found) {
      owners.value = found;
      if (found.owners.length === 1 && !owner.value) owner.value = found.owners[0]!.id;
    }
  }

  async function saveAndTest(e: Event) {
    e.preventDefault();
    test.value = null;
    const saved = await run('save', () =>
      send({
        type: 'adminSaveTapkey',
        locationIds: chosen.value,
        clientId: clientId.value.trim(),
        ownerAccountId: owner.value.trim(),
        ...(secret.value ? { clientSecret: secret.value } : {}),
      }),
    );
    if (!saved) return;
    // The secret now lives in the API only; the field empties and says "stored".
    secret.value = '';
    await state.reload();
    await runTest();
  }

  async function runTest() {
    const id = chosen.value[0];
    if (!id) return;
    const result = await run('test', () => send({ type: 'adminTestTapkey', locationId: id }), (r) => (r.ok ? t('admin.tapkey.test.ok', { n: r.lockCount ?? 0 }) : null));
    if (result) {
      test.value = result;
      if (!result.ok) notice.value = { tone: 'error', text: t('admin.tapkey.test.failed', { n: result.problems.length }) };
    }
  }

  return (
    <>
      <p class="hint">{t('admin.tapkey.intro')}</p>
      <details class="checklist" open={!stored}>
        <summary>{t('admin.tapkey.checklist.heading')}</summary>
        <ol>
          <li>
            {t('admin.tapkey.checklist.portal')}{' '}
            <a href={TAPKEY_INTEGRATOR_PORTAL} target="_blank" rel="noopener noreferrer">
              {t('admin.tapkey.checklist.portalLink')}
            </a>
          </li>
          <li>{t('admin.tapkey.checklist.client')}</li>
          <li>{t('admin.tapkey.checklist.grantType')}</li>
          <li>{t('admin.tapkey.checklist.permissions')}</li>
          <li>{t('admin.tapkey.checklist.admin')}</li>
          <li>{t('admin.tapkey.checklist.copy')}</li>
          <li>{t('admin.tapkey.checklist.lockingSystem')}</li>
        </ol>
      </details>
      {all.length === 0 ? (
        <p class="hint">{t('admin.location.createFirst')}</p>
      ) : (
        <form onSubmit={(e) => void saveAndTest(e)}>
          <fieldset>
            <legend>{t('admin.tapkey.locations')}</legend>
            {all.map((s) => (
              <label key={s.location.id} class="check">
                <input
                  type="checkbox"
                  checked={chosen.value.includes(s.location.id)}
                  onChange={(e) =>
                    (chosen.value = e.currentTarget.checked ? [...chosen.value, s.location.id] : chosen.value.filter((id) => id !== s.location.id))
                  }
                />{' '}
                {s.location.name}
                {s.location.tapkey ? ` (${t('admin.tapkey.connectedShort')})` : ''}
              </label>
            ))}
          </fieldset>
          <InputField
            id={ids.clientId}
            label={t('admin.tapkey.clientId')}
            error={fieldErrors.value.clientId}
            required
            autocomplete="off"
            spellcheck={false}
            value={clientId.value}
            onValue={(v) => (clientId.value = v)}
          />
          <SecretField
            id={ids.secret}
            label={t('admin.tapkey.clientSecret')}
            stored={stored}
            hint={stored ? t('admin.tapkey.secretStored') : t('admin.tapkey.secretHint')}
            error={fieldErrors.value.clientSecret}
            value={secret.value}
            onValue={(v) => (secret.value = v)}
          />
          <div class="actions">
            <button type="button" disabled={busy.value !== null || chosen.value.length === 0} onClick={() => void findOwners()}>
              {t('admin.tapkey.findOwners')}
            </button>
          </div>
          {owners.value ? (
            owners.value.owners.length > 0 ? (
              <fieldset>
                <legend>{t('admin.tapkey.pickOwner')}</legend>
                {owners.value.owners.map((o) => (
                  <label key={o.id} class="check">
                    <input type="radio" name="tapkey-owner" value={o.id} checked={owner.value === o.id} onChange={() => (owner.value = o.id)} />{' '}
                    {o.name ?? t('admin.tapkey.ownerNoName')} <code>{o.id}</code>
                  </label>
                ))}
              </fieldset>
            ) : (
              <ProblemList problems={owners.value.problems} />
            )
          ) : null}
          <InputField
            id={ids.owner}
            label={t('admin.tapkey.lockingSystemId')}
            hint={t('admin.tapkey.lockingSystemHint')}
            error={fieldErrors.value.ownerAccountId}
            required
            autocomplete="off"
            spellcheck={false}
            value={owner.value}
            onValue={(v) => (owner.value = v)}
          />
          <div class="actions">
            <button type="submit" disabled={busy.value !== null || chosen.value.length === 0}>
              {t('admin.tapkey.saveAndTest')}
            </button>
            <button type="button" disabled={busy.value !== null || !current?.tapkey} onClick={() => void runTest()}>
              {t('admin.tapkey.test')}
            </button>
          </div>
        </form>
      )}
      {busy.value ? <p class="hint">{t('common.loading')}</p> : null}
      {test.value ? <TestResult test={test.value} /> : null}
      <StatusMessage notice={notice.value} />
    </>
  );
}

function ProblemList({ problems }: { problems: Problem[] }) {
  const { t } = useUi();
  if (problems.length === 0) return null;
  return (
    <ul class="problems" aria-label={t('admin.tapkey.problems')}>
      {problems.map((p, i) => (
        <li key={i}>
          <strong>{t(problemHint[p.code])}</strong> <span>{p.message}</span>
        </li>
      ))}
    </ul>
  );
}

function TestResult({ test }: { test: TapkeyConnectionTest }) {
  const { t } = useUi();
  return (
    <div class="test-result">
      <h3>{t('admin.tapkey.test.heading')}</h3>
      <ul class="checks">
        {tapkeyChecks(test).map((c) => (
          <li key={c.key} class={`check-${c.state}`}>
            <span class="check-state">{t(`admin.check.${c.state}`)}</span> {t(c.key, c.params)}
          </li>
        ))}
      </ul>
      <ProblemList problems={test.problems} />
      {test.calls.length > 0 ? (
        <>
          <h4>{t('admin.tapkey.calls.heading')}</h4>
          <ul class="checks" aria-label={t('admin.tapkey.calls.heading')}>
            {test.calls.map((c) => (
              <li key={c.call} class={`check-${c.result === 'ok' || c.result === 'fallback' ? 'ok' : c.result === 'failed' ? 'failed' : 'skipped'}`}>
                <span class="check-state">{t(`admin.tapkey.call.${c.result}`)}</span> <code>{c.call}</code> — {c.purpose}
                {c.status !== null ? ` (HTTP ${c.status})` : ''}
                {c.message ? <p class="hint">{c.message}</p> : null}
              </li>
            ))}
          </ul>
          {test.lockFilter === 'client' ? <p class="hint">{t('admin.tapkey.lockFilter.client')}</p> : null}
        </>
      ) : null}
    </div>
  );
}
