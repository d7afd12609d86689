import { useId } from 'preact/hooks';
import type { KeycafeKey } from '../../lib/contract.ts';
import { zonedToUtc, type LocalDateTime } from '../../lib/zoned-time.ts';
import { useUi } from '../ui-context.ts';
import { zonesOf } from './draft.ts';
import { describedBy, FieldError } from './FieldError.tsx';
import { zoneLabel } from './zones.ts';

export interface DateTimeFieldsProps {
  start: LocalDateTime;
  end: LocalDateTime;
  keys: KeycafeKey[];
  startError: string | undefined;
  endError: string | undefined;
  onChange: (patch: { start?: LocalDateTime; end?: LocalDateTime }) => void;
}

const instantOf = (local: LocalDateTime, timeZone: string) => {
  if (!local.date || !local.time) return null;
  const r = zonedToUtc(local, timeZone);
  return r.ok ? r.utc : null;
};

/**
 * Start and end of a one-time access, typed on the clock of the keys' SmartBox (Keycafe checks
 * them there). The zone is named, with its offset at the start; when the clocks change before
 * the end, the end's name is given too, so "10:00" is never ambiguous.
 */
export function DateTimeFields(props: DateTimeFieldsProps) {
  const { t, lang } = useUi();
  const id = useId();
  const zoneId = `${id}-zone`;
  const zones = zonesOf(props.keys);
  const timeZone = zones.length === 1 ? zones[0]! : null;
  const place = props.keys.find((k) => k.timeZone === timeZone)?.locationName ?? null;

  let zoneText: string;
  let dstText: string | null = null;
  if (!timeZone) zoneText = zones.length > 1 ? t('kcui.when.mixedZones') : t('kcui.when.chooseKey');
  else {
    const startAt = instantOf(props.start, timeZone);
    const endAt = instantOf(props.end, timeZone);
    const startLabel = zoneLabel(lang, timeZone, startAt ?? new Date());
    zoneText = t(place ? 'kcui.when.zoneAt' : 'kcui.when.zone', { place: place ?? '', timeZone, zone: startLabel });
    if (startAt && endAt) {
      const endLabel = zoneLabel(lang, timeZone, endAt);
      if (endLabel !== startLabel) dstText = t('kcui.when.dstChange', { startZone: startLabel, endZone: endLabel });
    }
  }

  const pair = (which: 'start' | 'end', error: string | undefined) => {
    const value = props[which];
    const errorId = `${id}-${which}-error`;
    const aria = describedBy(errorId, error, zoneId);
    return (
      <div class="ab-datetime">
        <div class="ab-field">
          <label for={`${id}-${which}-date`}>{t(which === 'start' ? 'kcui.when.startDate' : 'kcui.when.endDate')}</label>
          <input
            id={`${id}-${which}-date`}
            type="date"
            data-field={which}
            value={value.date}
            onInput={(e) => props.onChange({ [which]: { ...value, date: (e.currentTarget as HTMLInputElement).value } })}
            {...aria}
          />
        </div>
        <div class="ab-field">
          <label for={`${id}-${which}-time`}>{t(which === 'start' ? 'kcui.when.startTime' : 'kcui.when.endTime')}</label>
          <input
            id={`${id}-${which}-time`}
            type="time"
            step={60}
            value={value.time}
            onInput={(e) => props.onChange({ [which]: { ...value, time: (e.currentTarget as HTMLInputElement).value } })}
            {...aria}
          />
        </div>
        <FieldError id={errorId} error={error} />
      </div>
    );
  };

  return (
    <fieldset class="ab-fieldset">
      <legend>{t('kcui.when.legend')}</legend>
      <p id={zoneId} class="ab-zone">
        {zoneText}
        {dstText ? (
          <>
            {' '}
            <strong>{dstText}</strong>
          </>
        ) : null}
      </p>
      {pair('start', props.startError)}
      {pair('end', props.endError)}
    </fieldset>
  );
}
