import { useId } from 'preact/hooks';
import type { KeycafeKey } from '../../lib/contract.ts';
import { returnReminderSchedule } from '../../lib/keycafe-reminder.ts';
import { zonedToUtc, type LocalDateTime } from '../../lib/zoned-time.ts';
import { useUi } from '../ui-context.ts';
import { zonesOf } from './draft.ts';
import { describedBy, FieldError } from './FieldError.tsx';
import { formatInZone, zoneName } from './zones.ts';

export interface ReminderPreviewProps {
  on: boolean;
  start: LocalDateTime;
  end: LocalDateTime;
  keys: KeycafeKey[];
  error: string | undefined;
  onChange: (on: boolean) => void;
}

/**
 * The "Return key reminder" switch and when the reminder goes out, computed with the rule the
 * API stores (lib/keycafe-reminder.ts, seed 004): 12 h before the end for accesses over 24 h,
 * 2 h before for 4–24 h, 15 minutes after pickup below 4 h.
 */
export function ReminderPreview(props: ReminderPreviewProps) {
  const { t, lang } = useUi();
  const id = useId();
  const previewId = `${id}-when`;

  let preview: string;
  const zones = zonesOf(props.keys);
  const timeZone = zones.length === 1 ? zones[0]! : null;
  const startAt = timeZone && props.start.date && props.start.time ? zonedToUtc(props.start, timeZone) : null;
  const endAt = timeZone && props.end.date && props.end.time ? zonedToUtc(props.end, timeZone) : null;
  if (!props.on) preview = t('kcui.reminder.off');
  else if (!startAt?.ok || !endAt?.ok || endAt.utc <= startAt.utc) preview = t('kcui.reminder.needsTimes');
  else {
    const s = returnReminderSchedule(startAt.utc, endAt.utc);
    preview = s.at
      ? t('keycafe.reminder.beforeEnd', { hours: s.offsetMinutes / 60, at: `${formatInZone(lang, s.at, timeZone!)} ${zoneName(lang, timeZone!, s.at)}` })
      : t('keycafe.reminder.afterPickup');
  }

  return (
    <div class="ab-check">
      <input
        id={id}
        type="checkbox"
        data-field="returnReminder"
        checked={props.on}
        onChange={(e) => props.onChange((e.currentTarget as HTMLInputElement).checked)}
        {...describedBy(`${id}-error`, props.error, previewId)}
      />
      <label for={id}>{t('kcui.reminder.label')}</label>
      <p id={previewId} class="ab-hint ab-reminder">
        {preview}
      </p>
      <FieldError id={`${id}-error`} error={props.error} />
    </div>
  );
}
