import { useId } from 'preact/hooks';
import { keycafeLocales } from '../../lib/contract.ts';
import { useUi } from '../ui-context.ts';
import type { KeycafeLocale } from './draft.ts';
import { describedBy, FieldError } from './FieldError.tsx';

/** "français", "日本語": each language in its own name, as the visitor would look for it. */
function ownName(locale: string): string {
  try {
    return new Intl.DisplayNames([locale], { type: 'language' }).of(locale) ?? locale;
  } catch {
    return locale;
  }
}

/** The language of the visitor's instructions: the languages Keycafe sends them in. */
export function LanguageField({ value, error, onChange }: { value: KeycafeLocale; error: string | undefined; onChange: (locale: KeycafeLocale) => void }) {
  const { t } = useUi();
  const id = useId();
  return (
    <div class="ab-field">
      <label for={id}>{t('kcui.locale.label')}</label>
      <select id={id} data-field="locale" value={value} onChange={(e) => onChange((e.currentTarget as HTMLSelectElement).value as KeycafeLocale)} {...describedBy(`${id}-error`, error)}>
        {keycafeLocales.map((l) => (
          <option key={l} value={l} lang={l}>
            {ownName(l)}
          </option>
        ))}
      </select>
      <FieldError id={`${id}-error`} error={error} />
    </div>
  );
}
