import { useSignal } from '@preact/signals';
import { useEffect, useId, useLayoutEffect, useRef } from 'preact/hooks';
import { keycafeLocales, type KeycafeBooking } from '../../lib/contract.ts';
import { normaliseRecipient } from '../../lib/keycafe-recipient.ts';
import { StatusMessage, type Notice } from '../StatusMessage.tsx';
import { useUi } from '../ui-context.ts';
import { AccessTypeField } from './AccessTypeField.tsx';
import { asKeycafeApiError, type KeycafeAccount, type KeycafeApi } from './api.ts';
import { isSettling } from './booking-text.ts';
import { BookingResult } from './BookingResult.tsx';
import { KeycafeApiContext } from './context.ts';
import { DateTimeFields } from './DateTimeFields.tsx';
import {
  firstErrorField,
  initialDraft,
  placeApiErrors,
  toBookingInput,
  validateDraft,
  zonesOf,
  type BookingDraft,
  type BookingPrefill,
  type Field,
  type FieldErrors,
  type KeycafeLocale,
} from './draft.ts';
import { ExistingBookings } from './ExistingBookings.tsx';
import { describedBy, FieldError } from './FieldError.tsx';
import { activeElementBeside, trapTab } from './focus.ts';
import { KeySearch } from './KeySearch.tsx';
import { LanguageField } from './LanguageField.tsx';
import { RecipientField } from './RecipientField.tsx';
import { ReminderPreview } from './ReminderPreview.tsx';
import { newRequestKey } from './request-key.ts';
import { VisitorChecks } from './VisitorChecks.tsx';
import { defaultWindow } from './zones.ts';

export interface BookingDialogProps {
  api: KeycafeApi;
  prefill?: BookingPrefill;
  /** Called with the booking made (or null) when the user closes the dialog. */
  onClose: (booking: KeycafeBooking | null) => void;
  /** Called as soon as the API accepted a booking (hosts remember the key and language). */
  onBooked?: (booking: KeycafeBooking, draft: BookingDraft) => void;
  /** How often a booking's keys are re-read until Keycafe has answered for each. */
  pollMs?: number;
}

/** Enough to resolve a prefilled key by id or serial number in one call (the API's page cap). */
const PREFILL_LOOKUP_LIMIT = 1000;
const MAX_POLL_BACKOFF = 8;

type Phase = { kind: 'editing' } | { kind: 'submitting' } | { kind: 'booked'; booking: KeycafeBooking };

/** The UI language when Keycafe sends instructions in it, else English. */
function defaultLocale(lang: string): KeycafeLocale {
  return (keycafeLocales as readonly string[]).includes(lang) ? (lang as KeycafeLocale) : 'en';
}

/**
 * "Grant Keycafe access": the Keycafe booking form of seed 004 as a modal dialog, the same in
 * the manager page, the popup and the embedded widget. It validates with the shared rules
 * before sending, puts every error (its own or the API's) beside its field and focuses the
 * first, then follows the booking key by key until Keycafe has answered for each.
 */
export function BookingDialog({ api, prefill, onClose, onBooked, pollMs = 1000 }: BookingDialogProps) {
  const { t, lang } = useUi();
  const draft = useSignal<BookingDraft>(initialDraft({ locale: defaultLocale(lang), ...prefill }));
  const errors = useSignal<FieldErrors>({});
  const phase = useSignal<Phase>({ kind: 'editing' });
  const notice = useSignal<Notice | null>(null);
  /** A send that failed without a definite answer: "Retry" sends it again with the same key. */
  const createFailed = useSignal(false);
  const accounts = useSignal<KeycafeAccount[] | null>(null);
  const retrying = useSignal(false);
  const pollTick = useSignal(0);
  const existingVersion = useSignal(0);
  const requestKey = useRef(newRequestKey());
  const pollFailures = useRef(0);
  const pendingFocus = useRef<Field | null>(null);
  const dialogRef = useRef<HTMLDivElement>(null);
  const titleId = useId();
  const formErrorId = useId();
  const nameId = useId();

  const update = (patch: Partial<BookingDraft>) => {
    draft.value = { ...draft.value, ...patch };
    // Another request now: a retry must not replay the earlier one.
    if (createFailed.value) {
      createFailed.value = false;
      requestKey.current = newRequestKey();
    }
    const cleared = { ...errors.value };
    for (const k of Object.keys(patch) as (keyof BookingDraft)[]) {
      const field = k === 'recipientMode' || k === 'email' || k === 'mobile' ? 'recipient' : k === 'allKeys' || k === 'accountId' ? 'account' : k;
      delete cleared[field as Field];
      if (k === 'keys' || k === 'allKeys') delete cleared.keys;
    }
    errors.value = cleared;
  };

  // Opening: focus the dialog (its title is read first); closing: focus back to the opener.
  useEffect(() => {
    const opener = activeElementBeside(dialogRef.current);
    dialogRef.current?.focus();
    return () => {
      if (opener?.isConnected) opener.focus();
    };
  }, []);

  // Keys handed over by the host (ids or serial numbers) are looked up once.
  useEffect(() => {
    const refs = prefill?.keyRefs?.filter(Boolean) ?? [];
    if (!refs.length) return;
    api.searchKeys({ search: '', limit: PREFILL_LOOKUP_LIMIT }).then(
      (page) => {
        const found = refs.map((ref) => page.items.find((k) => k.id === ref || k.serialNumber === ref) ?? null);
        const missing = refs.filter((_, i) => !found[i]);
        update({ keys: found.filter((k): k is NonNullable<typeof k> => k !== null) });
        if (missing.length) errors.value = { ...errors.value, keys: t('kcui.keys.prefillMissing', { keys: missing.join(', ') }) };
      },
      (error: unknown) => (errors.value = { ...errors.value, keys: t('kcui.keys.failed', { message: asKeycafeApiError(error).message }) }),
    );
  }, []);

  // "Apply to all keys" needs the account: load the accounts, pick the only one.
  const allKeys = draft.value.allKeys;
  useEffect(() => {
    if (!allKeys || accounts.value !== null) return;
    api.accounts().then(
      (list) => {
        accounts.value = list;
        if (list.length === 1 && !draft.value.accountId) draft.value = { ...draft.value, accountId: list[0]!.id };
      },
      (error: unknown) => {
        accounts.value = [];
        errors.value = { ...errors.value, account: asKeycafeApiError(error).message };
      },
    );
  }, [allKeys]);

  // A first window on the SmartBox's clock once its zone is known.
  const zones = zonesOf(draft.value.keys);
  const zone = zones.length === 1 ? zones[0]! : null;
  useEffect(() => {
    const d = draft.value;
    if (!zone || d.type !== 'one_time' || d.start.date || d.start.time || d.end.date || d.end.time) return;
    draft.value = { ...d, ...defaultWindow(zone) };
  }, [zone]);

  // Focus the first field with an error as soon as it is on screen.
  useLayoutEffect(() => {
    const field = pendingFocus.current;
    if (!field || !dialogRef.current) return;
    pendingFocus.current = null;
    const target = field === 'form' ? dialogRef.current.querySelector<HTMLElement>(`[id="${formErrorId}"]`) : dialogRef.current.querySelector<HTMLElement>(`[data-field="${field}"]`);
    target?.focus();
  });

  // Follow the booking until Keycafe answered for every key (backing off while unreachable).
  const booked = phase.value.kind === 'booked' ? phase.value.booking : null;
  useEffect(() => {
    if (!booked || !isSettling(booked)) return;
    const delay = pollMs * Math.min(2 ** pollFailures.current, MAX_POLL_BACKOFF);
    const timer = setTimeout(() => {
      api.getBooking(booked.id).then(
        (next) => {
          pollFailures.current = 0;
          showBooking(next);
        },
        (error: unknown) => {
          pollFailures.current++;
          notice.value = { tone: 'error', text: t('kcui.result.pollFailed', { message: asKeycafeApiError(error).message }) };
          pollTick.value++;
        },
      );
    }, delay);
    return () => clearTimeout(timer);
  }, [booked, pollTick.value]);

  function showErrors(next: FieldErrors, summary: string) {
    errors.value = next;
    notice.value = { tone: 'error', text: summary };
    pendingFocus.current = firstErrorField(next);
  }

  function showBooking(b: KeycafeBooking) {
    phase.value = { kind: 'booked', booking: b };
    if (isSettling(b)) {
      const done = b.accesses.filter((a) => a.state !== 'pending').length;
      notice.value = { tone: 'info', text: t('kcui.result.progress', { done, total: b.accesses.length }) };
    } else if (b.state === 'active') {
      const codes = b.accesses.map((a) => a.bookingCode).filter(Boolean);
      notice.value = { tone: 'success', text: codes.length ? t('kcui.result.grantedCodes', { codes: codes.join(', ') }) : t('kcui.result.granted') };
    } else if (b.state === 'failed' || b.state === 'partially_failed') {
      const failed = b.accesses.filter((a) => a.state === 'failed');
      notice.value = {
        tone: 'error',
        text: t('kcui.result.failedKeys', { count: failed.length, total: b.accesses.length, reasons: failed.map((a) => `${a.keyName}: ${a.reason ?? '?'}`).join('; ') }),
      };
    } else notice.value = { tone: 'info', text: t('kcui.state.cancelled') };
  }

  async function submit(e?: Event) {
    e?.preventDefault();
    if (phase.value.kind !== 'editing') return;
    const found = validateDraft(draft.value, t);
    if (firstErrorField(found)) return showErrors(found, t('kcui.submit.checkFields'));
    errors.value = {};
    createFailed.value = false;
    phase.value = { kind: 'submitting' };
    notice.value = { tone: 'info', text: t('kcui.submit.sending') };
    try {
      const booking = await api.createBooking(toBookingInput(draft.value), requestKey.current);
      existingVersion.value++;
      onBooked?.(booking, draft.value);
      showBooking(booking);
    } catch (error) {
      const err = asKeycafeApiError(error);
      phase.value = { kind: 'editing' };
      if (err.fieldErrors.length) {
        requestKey.current = newRequestKey();
        const placed = placeApiErrors(err.fieldErrors, draft.value.allKeys);
        return showErrors(placed, placed.form ? err.message : t('kcui.submit.checkFields'));
      }
      if (err.retryable) createFailed.value = true;
      else requestKey.current = newRequestKey();
      notice.value = { tone: 'error', text: t('kcui.submit.failed', { message: err.message }) };
    }
  }

  async function retryFailed(booking: KeycafeBooking) {
    retrying.value = true;
    notice.value = { tone: 'info', text: t('kcui.result.retrying') };
    try {
      showBooking(await api.retryBooking(booking.id));
    } catch (error) {
      notice.value = { tone: 'error', text: t('kcui.submit.failed', { message: asKeycafeApiError(error).message }) };
    } finally {
      retrying.value = false;
    }
  }

  function bookAnother() {
    const keep = draft.value;
    draft.value = { ...initialDraft({ locale: keep.locale, ...prefill }), keys: keep.keys, allKeys: keep.allKeys, accountId: keep.accountId, type: keep.type };
    requestKey.current = newRequestKey();
    phase.value = { kind: 'editing' };
    notice.value = null;
  }

  const close = () => onClose(booked);

  function onKeyDown(e: KeyboardEvent) {
    if (e.key === 'Escape') {
      e.preventDefault();
      e.stopPropagation();
      close();
      return;
    }
    if (dialogRef.current) trapTab(e, dialogRef.current);
  }

  const d = draft.value;
  const err = errors.value;
  const p = phase.value;
  const recipient = normaliseRecipient(d.recipientMode === 'email' ? { email: d.email } : { mobile: d.mobile, country: d.country || null });
  const recipientQuery = recipient.ok ? (recipient.email ?? recipient.mobile) : null;

  return (
    <KeycafeApiContext.Provider value={api}>
      <div class="ab-backdrop">
        <div
          ref={dialogRef}
          class="ab-dialog ab-keycafe"
          role="dialog"
          aria-modal="true"
          aria-labelledby={titleId}
          aria-busy={p.kind === 'submitting'}
          tabIndex={-1}
          onKeyDown={onKeyDown}
        >
          <h2 id={titleId}>{t('kcui.dialog.title')}</h2>
          {p.kind === 'booked' ? (
            <>
              <BookingResult
                booking={p.booking}
                retrying={retrying.value}
                codesHidden={api.codesHidden ?? false}
                onRetry={() => void retryFailed(p.booking)}
                onCopied={(copied) => (notice.value = copied ? { tone: 'success', text: t('kcui.result.copied') } : { tone: 'error', text: t('kcui.result.copyFailed') })}
              />
              <div class="ab-actions ab-footer">
                <button type="button" onClick={bookAnother}>
                  {t('kcui.result.another')}
                </button>
                <button type="button" class="ab-primary" onClick={close}>
                  {t('common.close')}
                </button>
              </div>
            </>
          ) : (
            <form noValidate onSubmit={(e) => void submit(e)}>
              <p id={formErrorId} class="ab-field-error ab-form-error" tabIndex={-1} hidden={!err.form}>
                {err.form ?? ''}
              </p>
              <AccessTypeField value={d.type} error={err.type} onChange={(type) => update({ type, ...(type === 'one_time' ? { allKeys: false } : { returnReminder: false }) })} />
              <KeySearch
                keys={d.keys}
                allKeys={d.allKeys}
                type={d.type}
                accountId={d.accountId}
                accounts={accounts.value}
                keysError={err.keys}
                accountError={err.account}
                onKeys={(keys) => update({ keys })}
                onAllKeys={(on) => update({ allKeys: on })}
                onAccount={(accountId) => update({ accountId: accountId || null })}
              />
              <RecipientField
                mode={d.recipientMode}
                email={d.email}
                mobile={d.mobile}
                country={d.country}
                error={err.recipient}
                countryError={err.country}
                onChange={(patch) => update(patch)}
              />
              <ExistingBookings
                keyIds={d.allKeys ? [] : d.keys.map((k) => k.id)}
                recipient={recipientQuery}
                version={existingVersion.value}
                onNotice={(n) => (notice.value = n)}
              />
              <LanguageField value={d.locale} error={err.locale} onChange={(locale) => update({ locale })} />
              {d.type === 'one_time' ? (
                <>
                  <DateTimeFields start={d.start} end={d.end} keys={d.keys} startError={err.start} endError={err.end} onChange={(patch) => update(patch)} />
                  <ReminderPreview on={d.returnReminder} start={d.start} end={d.end} keys={d.keys} error={err.returnReminder} onChange={(on) => update({ returnReminder: on })} />
                </>
              ) : (
                <p class="ab-hint">{t('kcui.type.ongoingNote')}</p>
              )}
              <VisitorChecks
                requireVisitorId={d.requireVisitorId}
                visitors={d.visitors}
                photoVerification={d.photoVerification}
                errors={err}
                onChange={(patch) => update(patch)}
              />
              <div class="ab-field">
                <label for={nameId}>{t('kcui.name.label')}</label>
                <input
                  id={nameId}
                  type="text"
                  data-field="name"
                  autocomplete="off"
                  value={d.name}
                  onInput={(e) => update({ name: (e.currentTarget as HTMLInputElement).value })}
                  {...describedBy(`${nameId}-error`, err.name, `${nameId}-hint`)}
                />
                <p id={`${nameId}-hint`} class="ab-hint">
                  {t('kcui.name.hint')}
                </p>
                <FieldError id={`${nameId}-error`} error={err.name} />
              </div>
              <div class="ab-actions ab-footer">
                <button type="submit" class="ab-primary" disabled={p.kind === 'submitting'}>
                  {createFailed.value ? t('common.retry') : p.kind === 'submitting' ? t('kcui.submit.sending') : t('kcui.submit.label')}
                </button>
                <button type="button" onClick={close}>
                  {t('common.close')}
                </button>
              </div>
            </form>
          )}
          <StatusMessage notice={notice.value} />
        </div>
      </div>
    </KeycafeApiContext.Provider>
  );
}
