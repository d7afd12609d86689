/** A problem in the user's language, from the catalogs (lib/i18n/). */
import { translate, type Language } from '../i18n/index.ts';
import { problemText, type Problem } from './problems.ts';

/** One sentence for a problem, in the user's language, e.g. "Unit name: selector `.x` matched nothing on this page". */
export function describeProblem(problem: Problem, lang: Language = 'en'): string {
  return problemText((key, params) => translate(lang, key, params), problem);
}
