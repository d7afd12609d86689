import { useId } from 'preact/hooks';
import { useUi } from '../ui-context.ts';
import type { AccessType } from './draft.ts';
import { FieldError } from './FieldError.tsx';

/** One-time (a start and an end on the SmartBox's clock) or ongoing (until cancelled). */
export function AccessTypeField({ value, error, onChange }: { value: AccessType; error: string | undefined; onChange: (type: AccessType) => void }) {
  const { t } = useUi();
  const id = useId();
  const option = (type: AccessType, label: string, hint: string, first: boolean) => (
    <div class="ab-check">
      <input
        id={`${id}-${type}`}
        type="radio"
        name={`${id}-type`}
        data-field={first ? 'type' : undefined}
        checked={value === type}
        onChange={() => onChange(type)}
        aria-describedby={`${id}-${type}-hint`}
      />
      <label for={`${id}-${type}`}>{label}</label>
      <p id={`${id}-${type}-hint`} class="ab-hint">
        {hint}
      </p>
    </div>
  );
  return (
    <fieldset class="ab-fieldset" aria-describedby={error ? `${id}-error` : undefined}>
      <legend>{t('kcui.type.legend')}</legend>
      {option('one_time', t('kcui.type.oneTime'), t('kcui.type.oneTimeHint'), true)}
      {option('ongoing', t('kcui.type.ongoing'), t('kcui.type.ongoingHint'), false)}
      <FieldError id={`${id}-error`} error={error} />
    </fieldset>
  );
}
