import { useId } from 'preact/hooks';
import type { MessageKey } from '../../lib/i18n/index.ts';
import { useUi } from '../ui-context.ts';
import { emptyStrategy, optionalFields, strategyKinds, type FormErrors, type StrategyForm, type StrategyKind } from './profile-form.ts';
import { TextField } from './TextField.tsx';

/** The schema allows this many fallbacks per field. */
const MAX_WAYS = 6;

interface StrategyEditorProps {
  n: number;
  fieldLabel: string;
  value: StrategyForm;
  /** Path of this strategy in the profile, e.g. `unitPage.fields.name.0`. */
  path: string;
  errors: FormErrors;
  onChange: (next: StrategyForm) => void;
  onRemove: (() => void) | null;
}

function StrategyEditor({ n, fieldLabel, value, path, errors, onChange, onRemove }: StrategyEditorProps) {
  const { t } = useUi();
  const selectId = useId();
  const set = (patch: Partial<StrategyForm>) => onChange({ ...value, ...patch });
  const err = (key: string) => errors[`${path}.${key}`];
  return (
    <fieldset class="strategy">
      <legend>{t('manager.editor.way', { n, field: fieldLabel })}</legend>
      <div class="field">
        <label for={selectId}>{t('manager.editor.from')}</label>
        <select id={selectId} value={value.from} onChange={(e) => set({ from: (e.currentTarget as HTMLSelectElement).value as StrategyKind })}>
          {strategyKinds.map((k) => (
            <option key={k} value={k}>
              {t(`manager.editor.from.${k}`)}
            </option>
          ))}
        </select>
      </div>
      {value.from === 'url' ? <TextField label={t('manager.editor.group')} value={value.group} error={err('group')} onInput={(group) => set({ group })} /> : null}
      {value.from === 'selector' ? (
        <>
          <TextField label={t('manager.editor.selector')} value={value.selector} error={err('selector')} onInput={(selector) => set({ selector })} />
          <TextField
            label={t('manager.editor.attribute')}
            hint={t('manager.editor.attributeHint')}
            value={value.attribute}
            error={err('attribute')}
            onInput={(attribute) => set({ attribute })}
          />
        </>
      ) : null}
      {value.from === 'label' ? (
        <>
          <TextField label={t('manager.editor.label')} value={value.label} error={err('label')} onInput={(label) => set({ label })} />
          <TextField label={t('manager.editor.within')} value={value.within} error={err('within')} onInput={(within) => set({ within })} />
        </>
      ) : null}
      {value.from !== 'url' ? (
        <TextField label={t('manager.editor.regex')} hint={t('manager.editor.regexHint')} value={value.regex} error={err('regex')} onInput={(regex) => set({ regex })} />
      ) : null}
      {onRemove ? (
        <button type="button" onClick={onRemove}>
          {t('manager.editor.removeWay', { n, field: fieldLabel })}
        </button>
      ) : null}
    </fieldset>
  );
}

export interface FieldStrategiesProps {
  /** e.g. `unit.name` (its label is `manager.field.unit.name`). */
  field: string;
  value: StrategyForm[];
  /** Path of the field in the profile, e.g. `unitPage.fields.name`. */
  path: string;
  errors: FormErrors;
  onChange: (next: StrategyForm[]) => void;
}

/** A field's ways to read it, tried in order; optional fields can be switched off. */
export function FieldStrategies({ field, value, path, errors, onChange }: FieldStrategiesProps) {
  const { t } = useUi();
  const label = t(`manager.field.${field}` as MessageKey);
  const optional = optionalFields.has(field.split('.')[1]!);
  const own = errors[path];
  const errorId = useId();
  return (
    <fieldset class="profile-field" aria-describedby={own ? errorId : undefined}>
      <legend>{label}</legend>
      {own ? (
        <p id={errorId} class="field-error">
          {own}
        </p>
      ) : null}
      {value.map((s, i) => (
        <StrategyEditor
          key={i}
          n={i + 1}
          fieldLabel={label}
          value={s}
          path={`${path}.${i}`}
          errors={errors}
          onChange={(next) => onChange(value.map((x, j) => (j === i ? next : x)))}
          onRemove={value.length > 1 || optional ? () => onChange(value.filter((_, j) => j !== i)) : null}
        />
      ))}
      <div class="actions">
        {value.length === 0 ? (
          <button type="button" onClick={() => onChange([emptyStrategy()])}>
            {t('manager.editor.readField', { field: label })}
          </button>
        ) : value.length < MAX_WAYS ? (
          <button type="button" onClick={() => onChange([...value, emptyStrategy()])}>
            {t('manager.editor.addWay', { field: label })}
          </button>
        ) : null}
        {optional && value.length > 0 ? (
          <button type="button" onClick={() => onChange([])}>
            {t('manager.editor.skipField', { field: label })}
          </button>
        ) : null}
      </div>
    </fieldset>
  );
}
