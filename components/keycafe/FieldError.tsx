/**
 * A field's error, right under it and tied to it with aria-describedby (the control sets
 * `aria-invalid` and points at this id). Empty when there is no error, so the id stays valid.
 */
export function FieldError({ id, error }: { id: string; error: string | undefined }) {
  return (
    <p id={id} class="ab-field-error" hidden={!error}>
      {error ?? ''}
    </p>
  );
}

/** The attributes a control with an error slot needs. */
export function describedBy(errorId: string, error: string | undefined, hintId?: string) {
  return {
    'aria-invalid': error ? ('true' as const) : undefined,
    'aria-describedby': [error ? errorId : null, hintId ?? null].filter(Boolean).join(' ') || undefined,
  };
}
