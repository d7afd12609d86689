/** Turning a text found on the page into a field's value, or saying why it is not one. */
import { normalizeDate, type DateOrder } from '../dates.ts';
import { checkBookingState, checkEmail, type BookingState } from './page-checks.ts';
import type { ProblemCode } from './problems.ts';

export const collapse = (s: string) => s.replace(/\s+/g, ' ').trim();
export const clip = (s: string) => (s.length > 80 ? `${s.slice(0, 79)}…` : s);
/** Managers print a dash or "n/a" where a value is missing; that is an absent value, not a bad one. */
export const placeholder = /^(?:[-–—_.\s]*|n\/?a|none|keine?|aucune?|—)$/i;

export type Parsed<T> = { ok: true; value: T } | { ok: false; code: ProblemCode; params: Record<string, string> };
export type Parse<T> = (text: string) => Parsed<T>;

export const textOf =
  (max: number): Parse<string> =>
  (text) =>
    text.length <= max ? { ok: true, value: text } : { ok: false, code: 'too_long', params: { text: clip(text), max: String(max) } };

export const parseEmail: Parse<string> = (text) => {
  const value = checkEmail(text.replace(/^mailto:/i, '').split('?')[0]!);
  return value !== null ? { ok: true, value } : { ok: false, code: 'not_email', params: { text: clip(text) } };
};

export const parsePhone: Parse<string> = (text) => {
  const value = text.replace(/^tel:/i, '').trim();
  const digits = value.replace(/\D/g, '').length;
  return /^\+?[\d\s()./-]+$/.test(value) && digits >= 4 && digits <= 15 && value.length <= 40
    ? { ok: true, value }
    : { ok: false, code: 'not_phone', params: { text: clip(text) } };
};

export const parseDate =
  (order: DateOrder): Parse<string> =>
  (text): Parsed<string> => {
    const r = normalizeDate(text, order);
    if (r.ok) return { ok: true, value: r.value };
    if (r.reason === 'impossible') return { ok: false, code: 'impossible_date', params: { text: clip(text) } };
    return { ok: false, code: 'not_date', params: { text: clip(text), order } };
  };

export const parseState =
  (labels: Record<string, BookingState>): Parse<BookingState> =>
  (text) => {
    const key = text.toLowerCase();
    for (const [label, state] of Object.entries(labels)) if (label.toLowerCase() === key) return { ok: true, value: state };
    const direct = checkBookingState(key);
    return direct !== null ? { ok: true, value: direct } : { ok: false, code: 'unknown_state', params: { text: clip(text) } };
  };
