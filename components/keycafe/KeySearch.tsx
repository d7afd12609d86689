import { useSignal } from '@preact/signals';
import { useEffect, useId, useRef } from 'preact/hooks';
import type { KeycafeKey } from '../../lib/contract.ts';
import { useUi } from '../ui-context.ts';
import { asKeycafeApiError, type KeycafeAccount } from './api.ts';
import { useKeycafeApi } from './context.ts';
import type { AccessType } from './draft.ts';
import { describedBy, FieldError } from './FieldError.tsx';

/** Results shown at once; typing narrows the rest. */
export const KEY_RESULTS = 20;
const SEARCH_DEBOUNCE_MS = 250;

export interface KeySearchProps {
  keys: KeycafeKey[];
  allKeys: boolean;
  type: AccessType;
  accountId: string | null;
  /** Loaded when "apply to all keys" is on; null while loading. */
  accounts: KeycafeAccount[] | null;
  keysError: string | undefined;
  accountError: string | undefined;
  onKeys: (keys: KeycafeKey[]) => void;
  onAllKeys: (allKeys: boolean) => void;
  onAccount: (accountId: string) => void;
}

type Results = { status: 'loading' } | { status: 'error'; message: string } | { status: 'ready'; items: KeycafeKey[]; total: number; query: string };

const where = (k: KeycafeKey) => [k.locationName, k.serialNumber].filter(Boolean).join(' · ');

/**
 * Which keys: a search over the Keycafe keys (one or several can be ticked), or, for ongoing
 * access, "apply to all keys" of an account, which also covers keys added to it later.
 */
export function KeySearch(props: KeySearchProps) {
  const { t } = useUi();
  const api = useKeycafeApi();
  const query = useSignal('');
  const results = useSignal<Results>({ status: 'loading' });
  const attempt = useSignal(0);
  const searchId = useId();
  const errorId = useId();
  const accountErrorId = useId();
  const chosenId = useId();
  const latest = useRef(0);

  useEffect(() => {
    if (props.allKeys) return;
    const run = ++latest.current;
    const search = query.value.trim();
    results.value = { status: 'loading' };
    const timer = setTimeout(
      () => {
        api.searchKeys({ search, limit: KEY_RESULTS }).then(
          (page) => {
            if (run === latest.current) results.value = { status: 'ready', items: page.items, total: page.total, query: search };
          },
          (error: unknown) => {
            if (run === latest.current) results.value = { status: 'error', message: asKeycafeApiError(error).message };
          },
        );
      },
      search ? SEARCH_DEBOUNCE_MS : 0,
    );
    return () => clearTimeout(timer);
  }, [query.value, props.allKeys, attempt.value]);

  const chosen = new Set(props.keys.map((k) => k.id));
  const toggle = (key: KeycafeKey, on: boolean) =>
    props.onKeys(on ? [...props.keys.filter((k) => k.id !== key.id), key] : props.keys.filter((k) => k.id !== key.id));

  // With one account (or none yet) the checkbox is where an account error is shown and focused.
  const errorOnCheckbox = props.allKeys && !(props.accounts && props.accounts.length > 1);
  const allKeysControl =
    props.type === 'ongoing' ? (
      <div class="ab-check">
        <input
          id={`${searchId}-all`}
          type="checkbox"
          data-field={errorOnCheckbox ? 'account' : undefined}
          checked={props.allKeys}
          onChange={(e) => props.onAllKeys((e.currentTarget as HTMLInputElement).checked)}
          {...(errorOnCheckbox ? describedBy(accountErrorId, props.accountError) : {})}
        />
        <label for={`${searchId}-all`}>{t('kcui.keys.allKeys')}</label>
        <p class="ab-hint">{t('kcui.keys.allKeysHint')}</p>
      </div>
    ) : null;

  if (props.allKeys) {
    const accounts = props.accounts;
    return (
      <fieldset class="ab-fieldset">
        <legend>{t('kcui.keys.legend')}</legend>
        {allKeysControl}
        {accounts === null ? (
          <p class="ab-hint">{t('common.loading')}</p>
        ) : accounts.length > 1 ? (
          <div class="ab-field">
            <label for={`${searchId}-account`}>{t('kcui.keys.account')}</label>
            <select
              id={`${searchId}-account`}
              data-field="account"
              value={props.accountId ?? ''}
              onChange={(e) => props.onAccount((e.currentTarget as HTMLSelectElement).value)}
              {...describedBy(accountErrorId, props.accountError)}
            >
              <option value="">{t('kcui.keys.accountChoose')}</option>
              {accounts.map((a) => (
                <option key={a.id} value={a.id}>
                  {a.name}
                </option>
              ))}
            </select>
          </div>
        ) : accounts.length === 1 ? (
          <p class="ab-hint">{t('kcui.keys.allOfAccount', { account: accounts[0]!.name })}</p>
        ) : (
          <p class="ab-hint">{t('kcui.keys.noAccount')}</p>
        )}
        <FieldError id={accountErrorId} error={props.accountError} />
      </fieldset>
    );
  }

  const r = results.value;
  return (
    <fieldset class="ab-fieldset">
      <legend>{t('kcui.keys.legend')}</legend>
      {allKeysControl}
      <div class="ab-field">
        <label for={searchId}>{t('kcui.keys.search')}</label>
        <input
          id={searchId}
          type="search"
          data-field="keys"
          autocomplete="off"
          value={query.value}
          onInput={(e) => (query.value = (e.currentTarget as HTMLInputElement).value)}
          {...describedBy(errorId, props.keysError)}
        />
      </div>
      <FieldError id={errorId} error={props.keysError} />

      {props.keys.length > 0 ? (
        <section aria-labelledby={chosenId} class="ab-chosen">
          <h3 id={chosenId}>{t('kcui.keys.chosen', { count: props.keys.length })}</h3>
          <ul>
            {props.keys.map((k) => (
              <li key={k.id}>
                <span>{k.name}</span>
                <button type="button" class="ab-link" onClick={() => toggle(k, false)}>
                  {t('kcui.keys.remove', { key: k.name })}
                </button>
              </li>
            ))}
          </ul>
        </section>
      ) : null}

      <div aria-live="polite" class="ab-results">
        {r.status === 'loading' ? (
          <p class="ab-hint">{t('kcui.keys.searching')}</p>
        ) : r.status === 'error' ? (
          <div class="ab-inline-error">
            <p>{t('kcui.keys.failed', { message: r.message })}</p>
            <button type="button" onClick={() => attempt.value++}>
              {t('kcui.keys.searchAgain')}
            </button>
          </div>
        ) : r.items.length === 0 ? (
          <p class="ab-empty">{r.query ? t('kcui.keys.noMatch', { query: r.query }) : t('keycafe.keys.none')}</p>
        ) : (
          <>
            <ul class="ab-key-results" aria-label={t('kcui.keys.results')}>
              {r.items.map((k) => {
                const id = `${searchId}-k-${k.accountLocationId}-${k.id}`;
                const detail = where(k);
                return (
                  <li key={k.id}>
                    <input id={id} type="checkbox" checked={chosen.has(k.id)} onChange={(e) => toggle(k, (e.currentTarget as HTMLInputElement).checked)} aria-describedby={detail ? `${id}-d` : undefined} />
                    <label for={id}>{k.name}</label>
                    {detail ? (
                      <span id={`${id}-d`} class="ab-hint">
                        {detail}
                      </span>
                    ) : null}
                  </li>
                );
              })}
            </ul>
            {r.total > r.items.length ? <p class="ab-hint">{t('kcui.keys.more', { shown: r.items.length, total: r.total })}</p> : null}
          </>
        )}
      </div>
    </fieldset>
  );
}
