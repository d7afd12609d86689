/**
 * Why a value could not be read, as plain data a content script can send to the options
 * page's preview (validate with ./problem-schema.ts on receipt); either side renders it in the
 * user's language with `describeProblem`. No zod here: page code imports this module.
 */
import type { MessageKey } from '../i18n/index.ts';
import type { Problem } from './problem-schema.ts';

export const problemCodes = [
  'url_not_matched',
  'no_booking_pages',
  'url_group_empty',
  'selector_invalid',
  'selector_no_match',
  'attribute_missing',
  'empty',
  'label_no_match',
  'label_no_value',
  'regex_no_match',
  'too_long',
  'not_email',
  'not_phone',
  'not_date',
  'impossible_date',
  'unknown_state',
  'move_out_before_move_in',
  'anchor_missing',
  /** Matches exist, but only in the navigation, header, footer or sidebars, which the profile does not read. */
  'selector_only_chrome',
  'label_only_chrome',
  /** Several matches, none usable; `tried` says why each was not. */
  'selector_none_usable',
  'label_none_usable',
] as const;
export type ProblemCode = (typeof problemCodes)[number];

/** How many of a strategy's failed candidates a problem lists (the count says how many there were). */
export const MAX_TRIED = 5;

export type { Problem, Tried } from './problem-schema.ts';

/** Problems that mean "not on this page" (an optional field is then simply absent). */
export const absentCodes: ReadonlySet<ProblemCode> = new Set([
  'url_group_empty',
  'selector_no_match',
  'attribute_missing',
  'empty',
  'label_no_match',
  'label_no_value',
  'selector_only_chrome',
  'label_only_chrome',
]);

/** A failure is absent when its code is, or when every candidate it tried was absent. */
export function isAbsent(p: Pick<Problem, 'code' | 'tried'>): boolean {
  if (p.code === 'selector_none_usable' || p.code === 'label_none_usable') return (p.tried ?? []).every((t) => absentCodes.has(t.code));
  return absentCodes.has(p.code);
}

/**
 * One sentence for a problem with the translator `t`, e.g. "Unit name: selector `.x` matched
 * nothing on this page". Without the catalogs, for the manager content script, which gets one
 * language's strings from the background; `describeProblem` (./describe.ts) with the catalogs.
 */
export function problemText(t: (key: MessageKey, params?: Record<string, string>) => string, problem: Problem): string {
  const field = t(`manager.field.${problem.field}` as MessageKey);
  const reasons = (problem.tried ?? []).map((r) => t(`manager.problem.${r.code}` as MessageKey, r.params));
  const tried = reasons.length > 1 ? reasons.map((r, i) => `${i + 1}) ${r}`).join('; ') : (reasons[0] ?? '');
  const text = t(`manager.problem.${problem.code}` as MessageKey, { ...problem.params, tried });
  return t('manager.problem', { field, problem: text });
}
