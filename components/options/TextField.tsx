import { useId } from 'preact/hooks';

export interface TextFieldProps {
  label: string;
  value: string;
  onInput: (value: string) => void;
  error?: string | undefined;
  hint?: string;
  disabled?: boolean;
  /** A textarea with this many rows instead of a single line. */
  rows?: number;
  type?: 'text' | 'url';
  spellcheck?: boolean;
}

/** A labelled input with its hint and its error beside it (aria-describedby, aria-invalid). */
export function TextField({ label, value, onInput, error, hint, disabled, rows, type = 'text', spellcheck = false }: TextFieldProps) {
  const id = useId();
  const hintId = useId();
  const errorId = useId();
  const describedBy = [error ? errorId : '', hint ? hintId : ''].filter(Boolean).join(' ') || undefined;
  const common = {
    id,
    value,
    disabled,
    spellcheck,
    'aria-invalid': error ? ('true' as const) : undefined,
    'aria-describedby': describedBy,
    onInput: (e: Event) => onInput((e.currentTarget as HTMLInputElement | HTMLTextAreaElement).value),
  };
  return (
    <div class="field">
      <label for={id}>{label}</label>
      {rows ? <textarea rows={rows} {...common} /> : <input type={type} autocomplete="off" {...common} />}
      {hint ? (
        <p id={hintId} class="hint">
          {hint}
        </p>
      ) : null}
      {error ? (
        <p id={errorId} class="field-error">
          {error}
        </p>
      ) : null}
    </div>
  );
}
