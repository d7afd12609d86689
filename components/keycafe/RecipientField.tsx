import { getCountries, getCountryCallingCode } from 'libphonenumber-js/min';
import { useId, useMemo } from 'preact/hooks';
import { useUi } from '../ui-context.ts';
import { describedBy, FieldError } from './FieldError.tsx';

export interface RecipientFieldProps {
  mode: 'email' | 'mobile';
  email: string;
  mobile: string;
  country: string;
  error: string | undefined;
  countryError: string | undefined;
  onChange: (patch: { recipientMode?: 'email' | 'mobile'; email?: string; mobile?: string; country?: string }) => void;
}

/** Countries by name in the user's language, with their calling code ("Germany (+49)"). */
function countryOptions(lang: string) {
  let names: Intl.DisplayNames | null = null;
  try {
    names = new Intl.DisplayNames([lang], { type: 'region' });
  } catch {
    names = null;
  }
  return getCountries()
    .map((code) => ({ code, label: `${names?.of(code) ?? code} (+${getCountryCallingCode(code)})` }))
    .sort((a, b) => a.label.localeCompare(b.label, lang));
}

/**
 * Who gets the booking code: an email address, or a mobile number that can receive SMS
 * (seed 004: "select Send to Mobile #" and the right country code). A number written with
 * +country code needs no country; a national number needs the country chosen.
 */
export function RecipientField(props: RecipientFieldProps) {
  const { t, lang } = useUi();
  const id = useId();
  const errorId = `${id}-error`;
  const countryErrorId = `${id}-country-error`;
  const smsHintId = `${id}-sms`;
  const countries = useMemo(() => (props.mode === 'mobile' ? countryOptions(lang) : []), [props.mode, lang]);

  return (
    <fieldset class="ab-fieldset">
      <legend>{t('kcui.recipient.legend')}</legend>
      <div class="ab-choice" role="radiogroup" aria-label={t('kcui.recipient.via')}>
        <input id={`${id}-email`} type="radio" name={`${id}-mode`} checked={props.mode === 'email'} onChange={() => props.onChange({ recipientMode: 'email' })} />
        <label for={`${id}-email`}>{t('kcui.recipient.byEmail')}</label>
        <input id={`${id}-mobile`} type="radio" name={`${id}-mode`} checked={props.mode === 'mobile'} onChange={() => props.onChange({ recipientMode: 'mobile' })} />
        <label for={`${id}-mobile`}>{t('kcui.recipient.byMobile')}</label>
      </div>

      {props.mode === 'email' ? (
        <div class="ab-field">
          <label for={`${id}-address`}>{t('kcui.recipient.email')}</label>
          <input
            id={`${id}-address`}
            type="email"
            data-field="recipient"
            autocomplete="off"
            spellcheck={false}
            value={props.email}
            onInput={(e) => props.onChange({ email: (e.currentTarget as HTMLInputElement).value })}
            {...describedBy(errorId, props.error)}
          />
          <FieldError id={errorId} error={props.error} />
        </div>
      ) : (
        <>
          <div class="ab-field">
            <label for={`${id}-country`}>{t('kcui.recipient.country')}</label>
            <select
              id={`${id}-country`}
              data-field="country"
              value={props.country}
              onChange={(e) => props.onChange({ country: (e.currentTarget as HTMLSelectElement).value })}
              {...describedBy(countryErrorId, props.countryError)}
            >
              <option value="">{t('kcui.recipient.countryInNumber')}</option>
              {countries.map((c) => (
                <option key={c.code} value={c.code}>
                  {c.label}
                </option>
              ))}
            </select>
            <FieldError id={countryErrorId} error={props.countryError} />
          </div>
          <div class="ab-field">
            <label for={`${id}-number`}>{t('kcui.recipient.mobile')}</label>
            <input
              id={`${id}-number`}
              type="tel"
              data-field="recipient"
              autocomplete="off"
              inputMode="tel"
              value={props.mobile}
              onInput={(e) => props.onChange({ mobile: (e.currentTarget as HTMLInputElement).value })}
              {...describedBy(errorId, props.error, smsHintId)}
            />
            <p id={smsHintId} class="ab-hint">
              {t('kcui.recipient.smsHint')}
            </p>
            <FieldError id={errorId} error={props.error} />
          </div>
        </>
      )}
    </fieldset>
  );
}
