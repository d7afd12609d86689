import { useSignal } from '@preact/signals';
import { useId } from 'preact/hooks';
import { dateOrders } from '../../lib/dates.ts';
import { anchorPositions, originMatchPattern, originSchema } from '../../lib/site-profile/index.ts';
import type { PreviewResult, SiteProfilesView } from '../../lib/messages.ts';
import { bridgeErrorOf, describeError } from '../describe-error.ts';
import { SelectField } from '../SelectField.tsx';
import { StatusMessage, type Notice } from '../StatusMessage.tsx';
import { useUi } from '../ui-context.ts';
import { ProfilePreview } from './ProfilePreview.tsx';
import {
  formFromProfile,
  bookingFields,
  bookingStates,
  errorsFrom,
  errorsUnder,
  slugify,
  unitFields,
  validateForm,
  type BookingState,
  type FormErrors,
  type PageForm,
  type Position,
  type ProfileForm,
} from './profile-form.ts';
import { FieldStrategies } from './StrategyFields.tsx';
import { TextField } from './TextField.tsx';

export interface ProfileEditorProps {
  initial: ProfileForm;
  isNew: boolean;
  onSaved: (view: SiteProfilesView, name: string) => void;
  onCancel: () => void;
  /** Offer "Guess from open tabs" (a new profile for another manager). */
  offerGuess?: boolean;
  /** Asks the user for the site's host (the guess reads its tabs); called first thing in the click. */
  requestHost?: (pattern: string) => Promise<boolean>;
}

interface PageSectionProps<F extends string> {
  kind: 'unit' | 'booking';
  value: PageForm<F>;
  fields: readonly F[];
  errors: FormErrors;
  onChange: (next: PageForm<F>) => void;
}

function PageSection<F extends string>({ kind, value, fields, errors, onChange }: PageSectionProps<F>) {
  const { t } = useUi();
  const base = kind === 'unit' ? 'unitPage' : 'bookingPage';
  const anchorErrors = errorsUnder(errors, `${base}.anchor`);
  return (
    <>
      <TextField
        label={t(`manager.editor.urlPattern.${kind}`)}
        hint={t('manager.editor.urlPatternHint')}
        value={value.urlPattern}
        error={errors[`${base}.urlPattern`]}
        onInput={(urlPattern) => onChange({ ...value, urlPattern })}
      />
      {fields.map((f) => (
        <FieldStrategies
          key={f}
          field={`${kind}.${f}`}
          value={value.fields[f]}
          path={`${base}.fields.${f}`}
          errors={errors}
          onChange={(list) => onChange({ ...value, fields: { ...value.fields, [f]: list } })}
        />
      ))}
      <TextField
        label={t('manager.editor.anchor')}
        rows={2}
        value={value.anchorText}
        error={anchorErrors.length ? anchorErrors.join(' ') : undefined}
        onInput={(anchorText) => onChange({ ...value, anchorText })}
      />
      <SelectField<Position>
        label={t('manager.editor.position')}
        value={value.position}
        options={anchorPositions.map((p) => ({ value: p, label: t(`manager.editor.position.${p}`) }))}
        onChange={(position) => onChange({ ...value, position })}
      />
    </>
  );
}

function StateLabels({ value, errors, onChange }: { value: { word: string; state: BookingState }[]; errors: FormErrors; onChange: (v: { word: string; state: BookingState }[]) => void }) {
  const { t } = useUi();
  const problems = errorsUnder(errors, 'bookingPage.stateLabels');
  return (
    <fieldset class="profile-field">
      <legend>{t('manager.editor.stateLabels')}</legend>
      {problems.length ? <p class="field-error">{problems.join(' ')}</p> : null}
      {value.map((row, i) => (
        <div class="state-label" key={i}>
          <TextField label={t('manager.editor.stateWord')} value={row.word} onInput={(word) => onChange(value.map((r, j) => (j === i ? { ...r, word } : r)))} />
          <SelectField<BookingState>
            label={t('manager.editor.stateMeans')}
            value={row.state}
            options={bookingStates.map((s) => ({ value: s, label: t(`manager.editor.state.${s}`) }))}
            onChange={(state) => onChange(value.map((r, j) => (j === i ? { ...r, state } : r)))}
          />
          <button type="button" onClick={() => onChange(value.filter((_, j) => j !== i))}>
            {t('manager.editor.removeStateWord', { word: row.word })}
          </button>
        </div>
      ))}
      <button type="button" onClick={() => onChange([...value, { word: '', state: 'active' }])}>
        {t('manager.editor.addStateWord')}
      </button>
    </fieldset>
  );
}

/**
 * Add or edit a site profile without writing JSON: origin, address patterns, and each field's
 * ways to read it. Checked with the shared schema on every save and test, each problem shown
 * beside its input; "Test on an open tab" runs the draft against a page of the manager.
 */
export function ProfileEditor({ initial, isNew, onSaved, onCancel, offerGuess = false, requestHost }: ProfileEditorProps) {
  const { t, send } = useUi();
  const form = useSignal<ProfileForm>(initial);
  const errors = useSignal<FormErrors>({});
  const idTouched = useSignal(!isNew);
  const notice = useSignal<Notice | null>(null);
  const busy = useSignal(false);
  const preview = useSignal<{ status: 'idle' } | { status: 'testing' } | { status: 'done'; result: PreviewResult }>({ status: 'idle' });
  const testTab = useSignal<number | undefined>(undefined);
  const guessed = useSignal<{ count: number; origin: string; kinds: string[] } | null>(null);
  const headingId = useId();
  const bookingsId = useId();
  const chromeId = useId();
  const chromeHintId = useId();

  const f = form.value;
  const update = (patch: Partial<ProfileForm>) => {
    const next = { ...form.value, ...patch };
    // A new profile's id follows its name until the user types one.
    if (isNew && !idTouched.value && patch.name !== undefined) next.id = slugify(patch.name);
    form.value = next;
    // Re-check as the user fixes things, once a check has shown problems.
    if (Object.keys(errors.value).length) {
      const v = validateForm(next);
      errors.value = v.ok ? {} : v.errors;
    }
  };

  function check() {
    const v = validateForm(form.value);
    if (v.ok) {
      errors.value = {};
      return v.profile;
    }
    errors.value = v.errors;
    notice.value = { tone: 'error', text: t('manager.editor.invalid', { count: Object.keys(v.errors).length }) };
    return null;
  }

  async function save(e: Event) {
    e.preventDefault();
    const profile = check();
    if (!profile) return;
    busy.value = true;
    try {
      onSaved(await send({ type: 'saveSiteProfile', profile }), profile.name);
    } catch (error) {
      const b = bridgeErrorOf(error);
      if (b.fieldErrors.length) errors.value = errorsFrom(b.fieldErrors);
      notice.value = { tone: 'error', text: b.fieldErrors.length ? t('manager.editor.invalid', { count: b.fieldErrors.length }) : describeError(t, error) };
    } finally {
      busy.value = false;
    }
  }

  async function test() {
    const profile = check();
    if (!profile) return;
    preview.value = { status: 'testing' };
    notice.value = null;
    try {
      const result = await send({ type: 'previewSiteProfile', profile, ...(testTab.value !== undefined ? { tabId: testTab.value } : {}) });
      if (result.status === 'read') testTab.value = result.tab.id;
      preview.value = { status: 'done', result };
    } catch (error) {
      preview.value = { status: 'idle' };
      notice.value = { tone: 'error', text: describeError(t, error) };
    }
  }

  /**
   * "Guess from open tabs": the site's host first (the browser's prompt needs this click), then
   * the background looks at the open tabs and answers with a profile and one tab's reading.
   */
  async function guess() {
    const origin = originSchema.safeParse(form.value.origin);
    if (!origin.success) {
      errors.value = { ...errors.value, origin: form.value.origin.trim() ? origin.error.issues[0]!.message : t('manager.editor.guessNeedsOrigin') };
      return;
    }
    const granted = requestHost ? await requestHost(originMatchPattern(origin.data)).catch(() => false) : true;
    if (!granted) {
      notice.value = { tone: 'error', text: t('manager.editor.guessDenied', { origin: origin.data }) };
      return;
    }
    preview.value = { status: 'testing' };
    notice.value = null;
    try {
      const r = await send({ type: 'guessSiteProfile', origin: origin.data, ...(testTab.value !== undefined ? { tabId: testTab.value } : {}) });
      if (r.status !== 'guessed') {
        preview.value = { status: 'done', result: r };
        return;
      }
      // The admin's own name and id stay; everything else is the guess.
      const next = formFromProfile(r.profile);
      const name = form.value.name.trim() || next.name;
      form.value = { ...next, name, id: idTouched.value ? form.value.id : slugify(name) };
      errors.value = {};
      testTab.value = r.preview.tab.id;
      guessed.value = { count: r.pages.length, origin: origin.data, kinds: [...new Set(r.pages.flatMap((p) => (p.kind ? [p.kind] : [])))] };
      preview.value = { status: 'done', result: r.preview };
    } catch (error) {
      preview.value = { status: 'idle' };
      notice.value = { tone: 'error', text: describeError(t, error) };
    }
  }

  const err = errors.value;
  return (
    <form class="profile-editor" aria-labelledby={headingId} onSubmit={(e) => void save(e)} noValidate>
      <h3 id={headingId}>{isNew ? t('manager.editor.titleNew') : t('manager.editor.titleEdit', { name: initial.name })}</h3>
      <TextField label={t('manager.editor.name')} value={f.name} error={err.name} onInput={(name) => update({ name })} />
      <TextField
        label={t('manager.editor.id')}
        hint={t('manager.editor.idHint')}
        value={f.id}
        disabled={!isNew}
        error={err.id}
        onInput={(id) => {
          idTouched.value = true;
          update({ id });
        }}
      />
      <TextField label={t('manager.editor.origin')} hint={t('manager.editor.originHint')} type="url" value={f.origin} error={err.origin} onInput={(origin) => update({ origin })} />
      {offerGuess ? (
        <div class="profile-guess">
          <p class="hint">{t('manager.editor.guessHint')}</p>
          <button type="button" disabled={preview.value.status === 'testing'} onClick={() => void guess()}>
            {t('manager.editor.guess')}
          </button>
        </div>
      ) : null}
      <SelectField
        label={t('manager.editor.dateOrder')}
        value={f.dateOrder}
        options={dateOrders.map((o) => ({ value: o, label: t(`manager.editor.dateOrder.${o}`) }))}
        onChange={(dateOrder) => update({ dateOrder })}
      />
      <div class="field checkbox">
        <input
          id={chromeId}
          type="checkbox"
          checked={f.scope !== 'content'}
          aria-describedby={chromeHintId}
          onChange={(e) => update({ scope: (e.currentTarget as HTMLInputElement).checked ? 'page' : 'content' })}
        />
        <label for={chromeId}>{t('manager.editor.readChrome')}</label>
        <p id={chromeHintId} class="hint">
          {t('manager.editor.readChromeHint')}
        </p>
      </div>

      <fieldset class="profile-page">
        <legend>{t('manager.editor.unitPages')}</legend>
        <PageSection kind="unit" value={f.unit} fields={unitFields} errors={err} onChange={(unit) => update({ unit })} />
      </fieldset>

      <div class="field checkbox">
        <input id={bookingsId} type="checkbox" checked={f.hasBookings} onChange={(e) => update({ hasBookings: (e.currentTarget as HTMLInputElement).checked })} />
        <label for={bookingsId}>{t('manager.editor.hasBookings')}</label>
      </div>
      {f.hasBookings ? (
        <fieldset class="profile-page">
          <legend>{t('manager.editor.bookingPages')}</legend>
          <PageSection kind="booking" value={f.booking} fields={bookingFields} errors={err} onChange={(page) => update({ booking: { ...f.booking, ...page } })} />
          <StateLabels value={f.booking.stateLabels} errors={err} onChange={(stateLabels) => update({ booking: { ...f.booking, stateLabels } })} />
        </fieldset>
      ) : null}

      <div class="actions">
        <button type="submit" disabled={busy.value}>
          {t('manager.editor.save')}
        </button>
        <button type="button" disabled={preview.value.status === 'testing'} onClick={() => void test()}>
          {t('manager.editor.test')}
        </button>
        <button type="button" onClick={onCancel}>
          {t('common.cancel')}
        </button>
      </div>
      <StatusMessage notice={preview.value.status === 'testing' ? { tone: 'info', text: t('manager.preview.testing') } : notice.value} />
      {preview.value.status === 'done' && guessed.value ? (
        <p class="hint">
          {t('manager.preview.guessed', { count: guessed.value.count, origin: guessed.value.origin })}{' '}
          {t('manager.preview.guessedKinds', {
            kinds: guessed.value.kinds.length ? guessed.value.kinds.map((k) => t(k === 'unit' ? 'manager.preview.kind.unit' : 'manager.preview.kind.booking')).join(', ') : t('manager.preview.kind.none'),
          })}
        </p>
      ) : null}
      {preview.value.status === 'done' ? (
        <ProfilePreview
          result={preview.value.result}
          tabId={testTab.value}
          onTab={(id) => {
            testTab.value = id;
            void test();
          }}
        />
      ) : null}
    </form>
  );
}
