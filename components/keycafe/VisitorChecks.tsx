import { useId } from 'preact/hooks';
import { useUi } from '../ui-context.ts';
import { describedBy, FieldError } from './FieldError.tsx';

export interface VisitorChecksProps {
  requireVisitorId: boolean;
  visitors: string;
  photoVerification: boolean;
  errors: { requireVisitorId?: string; visitors?: string; photoVerification?: string };
  onChange: (patch: { requireVisitorId?: boolean; visitors?: string; photoVerification?: boolean }) => void;
}

/** Where an operator manages keys and their settings (Keycafe's public site leads to the dashboard). */
export const KEYCAFE_DASHBOARD_URL = 'https://www.keycafe.com/';

/**
 * Seed 004's visitor checks: "Require visitor ID", how many visitors, "Photo verification".
 * Keycafe's create-access call has no such fields (docs.keycafe.com/reference/create-access;
 * sandbox/keycafe/SOURCES.md), so nothing here reaches Keycafe: the values are the operator's
 * record, and the note says so and where they are really set (the key, in the dashboard).
 */
export function VisitorChecks({ requireVisitorId, visitors, photoVerification, errors, onChange }: VisitorChecksProps) {
  const { t } = useUi();
  const id = useId();
  return (
    <fieldset class="ab-fieldset">
      <legend>{t('kcui.visitors.legend')}</legend>
      <p class="ab-hint" data-testid="visitor-checks-note">
        {t('kcconnect.visitors.note')}{' '}
        <a href={KEYCAFE_DASHBOARD_URL} target="_blank" rel="noopener noreferrer">
          {t('kcconnect.visitors.link')}
        </a>
      </p>
      <div class="ab-check">
        <input
          id={`${id}-id`}
          type="checkbox"
          data-field="requireVisitorId"
          checked={requireVisitorId}
          onChange={(e) => onChange({ requireVisitorId: (e.currentTarget as HTMLInputElement).checked })}
          {...describedBy(`${id}-id-error`, errors.requireVisitorId, `${id}-id-hint`)}
        />
        <label for={`${id}-id`}>{t('kcui.visitors.requireId')}</label>
        <p id={`${id}-id-hint`} class="ab-hint">
          {t('kcui.visitors.requireIdHint')}
        </p>
        <FieldError id={`${id}-id-error`} error={errors.requireVisitorId} />
      </div>
      <div class="ab-field ab-narrow">
        <label for={`${id}-count`}>{t('kcui.visitors.count')}</label>
        <input
          id={`${id}-count`}
          type="number"
          inputMode="numeric"
          min={1}
          max={20}
          step={1}
          data-field="visitors"
          value={visitors}
          onInput={(e) => onChange({ visitors: (e.currentTarget as HTMLInputElement).value })}
          {...describedBy(`${id}-count-error`, errors.visitors, `${id}-count-hint`)}
        />
        <p id={`${id}-count-hint`} class="ab-hint">
          {t('kcui.visitors.countHint')}
        </p>
        <FieldError id={`${id}-count-error`} error={errors.visitors} />
      </div>
      <div class="ab-check">
        <input
          id={`${id}-photo`}
          type="checkbox"
          data-field="photoVerification"
          checked={photoVerification}
          onChange={(e) => onChange({ photoVerification: (e.currentTarget as HTMLInputElement).checked })}
          {...describedBy(`${id}-photo-error`, errors.photoVerification, `${id}-photo-hint`)}
        />
        <label for={`${id}-photo`}>{t('kcui.visitors.photo')}</label>
        <p id={`${id}-photo-hint`} class="ab-hint">
          {t('kcui.visitors.photoHint')}
        </p>
        <FieldError id={`${id}-photo-error`} error={errors.photoVerification} />
      </div>
    </fieldset>
  );
}
