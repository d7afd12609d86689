/**
 * Pieces every admin section uses: the current location, a busy/notice pair for one action at
 * a time, and field errors from the API placed beside their inputs.
 */
import { useSignal, type Signal } from '@preact/signals';
import { useEffect, useId, useRef } from 'preact/hooks';
import type { ComponentChildren, JSX } from 'preact';
import type { Location } from '../../lib/contract.ts';
import type { LocationSummary } from '../../lib/admin-messages.ts';
import { bridgeErrorOf, describeError } from '../describe-error.ts';
import type { Notice } from '../StatusMessage.tsx';
import { useUi } from '../ui-context.ts';

export interface AdminState {
  locations: Signal<LocationSummary[] | null>;
  /** The location the integration, lock, sync, notice and health sections work on. */
  locationId: Signal<string | null>;
  reload: () => Promise<void>;
  /** Moves to a section (and its first heading) after a link in another one. */
  goTo: (section: AdminSectionId, focus?: { search?: string }) => void;
  /** A search another section asked the target to start with (e.g. "map this unit"). */
  pendingSearch: Signal<{ section: AdminSectionId; search: string } | null>;
}

export type AdminSectionId = 'locations' | 'tapkey' | 'keycafe' | 'sync-mode' | 'locks' | 'site-mapping' | 'full-sync' | 'notices' | 'health';

export function currentLocation(state: AdminState): Location | null {
  return state.locations.value?.find((l) => l.location.id === state.locationId.value)?.location ?? null;
}

/** Runs one action at a time and keeps what to tell the user. */
export function useAction() {
  const { t } = useUi();
  const busy = useSignal<string | null>(null);
  const notice = useSignal<Notice | null>(null);
  const fieldErrors = useSignal<Record<string, string>>({});
  async function run<T>(name: string, fn: () => Promise<T>, success?: (result: T) => string | null): Promise<T | undefined> {
    busy.value = name;
    notice.value = null;
    fieldErrors.value = {};
    try {
      const result = await fn();
      const text = success?.(result);
      if (text) notice.value = { tone: 'success', text };
      return result;
    } catch (error) {
      const e = bridgeErrorOf(error);
      fieldErrors.value = Object.fromEntries(e.fieldErrors.map((f) => [f.path.split('.').at(-1)!, f.message]));
      notice.value = { tone: 'error', text: describeError(t, error) };
      return undefined;
    } finally {
      busy.value = null;
    }
  }
  return { busy, notice, fieldErrors, run };
}

/** A labelled input with its hint and error, the ids wired for screen readers. */
export function Field({
  id,
  label,
  hint,
  error,
  children,
}: {
  id: string;
  label: string;
  hint?: ComponentChildren;
  error?: string | undefined;
  children: ComponentChildren;
}) {
  return (
    <div class="field">
      <label for={id}>{label}</label>
      {children}
      {hint ? (
        <p class="hint" id={`${id}-hint`}>
          {hint}
        </p>
      ) : null}
      {error ? (
        <p class="field-error" id={`${id}-error`}>
          {error}
        </p>
      ) : null}
    </div>
  );
}

export const describedBy = (id: string, hint: boolean, error: string | undefined) =>
  [hint && `${id}-hint`, error && `${id}-error`].filter(Boolean).join(' ') || undefined;

/** A Field holding one text input, marked invalid and described by its hint and error. */
export function InputField({
  id,
  label,
  hint,
  error,
  value,
  onValue,
  ...input
}: {
  id: string;
  label: string;
  hint?: ComponentChildren;
  error?: string | undefined;
  value: string;
  onValue: (value: string) => void;
} & Omit<JSX.InputHTMLAttributes<HTMLInputElement>, 'id' | 'value' | 'onInput'>) {
  return (
    <Field id={id} label={label} hint={hint} error={error}>
      <input
        id={id}
        {...input}
        value={value}
        aria-invalid={error ? 'true' : undefined}
        aria-describedby={describedBy(id, Boolean(hint), error)}
        onInput={(e) => onValue(e.currentTarget.value)}
      />
    </Field>
  );
}

/**
 * A provider secret: never shown again once stored, so a stored one leaves the field empty
 * (typing replaces it) and only a new connection requires it.
 */
export function SecretField({
  id,
  label,
  stored,
  hint,
  error,
  value,
  onValue,
}: {
  id: string;
  label: string;
  stored: boolean;
  hint: string;
  error?: string | undefined;
  value: string;
  onValue: (value: string) => void;
}) {
  const { t } = useUi();
  return (
    <InputField
      id={id}
      label={label}
      hint={hint}
      error={error}
      type="password"
      autocomplete="new-password"
      required={!stored}
      value={value}
      placeholder={stored ? t('admin.secret.replacePlaceholder') : ''}
      onValue={onValue}
    />
  );
}

/**
 * A confirmation in the page (not window.confirm, which extension pages block in some
 * browsers): focus moves to it, Escape cancels, focus returns to `returnTo` afterwards.
 */
export function ConfirmPanel({
  title,
  children,
  confirmLabel,
  onConfirm,
  onCancel,
}: {
  title: string;
  children: ComponentChildren;
  confirmLabel: string;
  onConfirm: () => void;
  onCancel: () => void;
}) {
  const { t } = useUi();
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    ref.current?.querySelector<HTMLButtonElement>('button.danger')?.focus();
  }, []);
  const titleId = useId();
  return (
    <div
      ref={ref}
      class="confirm"
      role="alertdialog"
      aria-modal="false"
      aria-labelledby={titleId}
      onKeyDown={(e) => {
        if (e.key === 'Escape') {
          e.stopPropagation();
          onCancel();
        }
      }}
    >
      <h3 id={titleId}>{title}</h3>
      {children}
      <div class="actions">
        <button type="button" class="danger" onClick={onConfirm}>
          {confirmLabel}
        </button>
        <button type="button" onClick={onCancel}>
          {t('common.cancel')}
        </button>
      </div>
    </div>
  );
}

/** Section frame: a region named by its heading. */
export function Section({ id, title, children }: { id: AdminSectionId; title: string; children: ComponentChildren }) {
  return (
    <section id={id} aria-labelledby={`${id}-heading`} tabIndex={-1}>
      <h2 id={`${id}-heading`}>{title}</h2>
      {children}
    </section>
  );
}

/** Asks to choose a location first, for sections that work on one. */
export function NeedsLocation({ state, children }: { state: AdminState; children: (location: Location) => ComponentChildren }) {
  const { t } = useUi();
  const location = currentLocation(state);
  if (!location) return <p class="hint">{t('admin.location.chooseFirst')}</p>;
  return <>{children(location)}</>;
}
