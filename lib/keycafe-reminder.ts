/**
 * Keycafe's return-key reminder schedule (seed 004, "Toggle Return Key Reminder"), computed
 * from the access's start and end instants. Pure: the booking form shows the same schedule the
 * API stores.
 *
 * The seed's table reads "more than 24 h → 12 h before the end; more than 4 h and less than
 * 24 h → 2 h before the end; less than 4 h → 15 minutes after pickup". It leaves exactly 4 h
 * and exactly 24 h open; we close the middle band on both sides:
 *   duration > 24 h        → 12 h before the end
 *   4 h ≤ duration ≤ 24 h  → 2 h before the end
 *   duration < 4 h         → 15 minutes after the keys are picked up (time unknown in advance)
 * Durations are elapsed time between the UTC instants, so a "midnight to midnight" access over
 * a DST change is 23 h or 25 h long, which is what the visitor actually gets.
 */

export type ReminderRule = 'before_end' | 'after_pickup';
export type ReminderBand = 'over_24h' | '4h_to_24h' | 'under_4h';

export interface ReminderSchedule {
  band: ReminderBand;
  rule: ReminderRule;
  /** Minutes before the end (`before_end`) or after pickup (`after_pickup`). */
  offsetMinutes: number;
  /** When the reminder goes out; null for `after_pickup` (depends on when keys are picked up). */
  at: Date | null;
}

const HOUR = 3_600_000;

export function reminderBand(durationMs: number): ReminderBand {
  if (durationMs > 24 * HOUR) return 'over_24h';
  if (durationMs >= 4 * HOUR) return '4h_to_24h';
  return 'under_4h';
}

export function returnReminderSchedule(startsAt: Date, endsAt: Date): ReminderSchedule {
  const band = reminderBand(endsAt.getTime() - startsAt.getTime());
  if (band === 'under_4h') return { band, rule: 'after_pickup', offsetMinutes: 15, at: null };
  const offsetMinutes = band === 'over_24h' ? 12 * 60 : 2 * 60;
  return { band, rule: 'before_end', offsetMinutes, at: new Date(endsAt.getTime() - offsetMinutes * 60_000) };
}
