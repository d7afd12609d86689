/**
 * The candidate locks of each unit for the mapping proposal (mapping-proposal.ts), scored by
 * their best reading (mapping-proposal-rules.ts). An index of title tokens keeps a site of
 * thousands of units from comparing every unit with every lock.
 */
import { isNumberToken, scoreTokens } from './similarity.ts';
import type { Variant } from './mapping-proposal-rules.ts';

const CROWDED_POOL = 200;

export interface Candidate {
  lock: number;
  score: number;
  /** Which reading of the lock title (`variants`) scored it. */
  variant: number;
}

/** The best reading of a lock title for a unit: its score and which reading. */
function bestReading(unit: string[], lockVariants: Variant[]): { score: number; variant: number } {
  let score = -1;
  let variant = 0;
  lockVariants.forEach((v, i) => {
    const s = scoreTokens(unit, v.tokens);
    if (s > score) [score, variant] = [s, i];
  });
  return { score, variant };
}

/** Each unit's candidates, best first; `unitTokens[i]` are unit i's name tokens, `lockVariants[j]` lock j's readings. */
export function candidatesOf(unitTokens: readonly string[][], lockVariants: readonly Variant[][]): Candidate[][] {
// Which locks hold a token, over every reading of their titles.
const index = new Map<string, number[]>();
const lockTokenSets = lockVariants.map((vs) => new Set(vs.flatMap((v) => v.tokens)));
lockVariants.forEach((_, li) => {
  for (const t of lockTokenSets[li]!) {
    const list = index.get(t);
    if (list) list.push(li);
    else index.set(t, [li]);
  }
});

/**
 * Candidate locks of each unit. A unit with numbers needs every one of them in the title
 * (compareTokens scores anything else ≤ 0.3), so the locks holding its rarest number are all
 * the candidates that matter; a unit without numbers looks at locks sharing any word.
 */
return unitTokens.map((tokens) => {
  if (!tokens.length) return [];
  const numbers = tokens.filter(isNumberToken);
  let pool: number[];
  const words = tokens.filter((t) => !isNumberToken(t));
  if (numbers.length) {
    pool = numbers.map((n) => index.get(n) ?? []).reduce((a, b) => (b.length < a.length ? b : a));
    // A number on most titles (a building code "B2") says little: then a word must be shared
    // too, which keeps 5,000-unit sites fast at the cost of candidates whose words are all
    // misspelt or abbreviated.
    if (pool.length > CROWDED_POOL && words.length) pool = pool.filter((li) => words.some((w) => lockTokenSets[li]!.has(w)));
  } else pool = [...new Set(words.flatMap((t) => index.get(t) ?? []))];
  const out: Candidate[] = [];
  for (const li of pool) {
    const c = bestReading(tokens, lockVariants[li]!);
    // Below this a pair decides nothing (see THRESHOLDS) and is not worth listing.
    if (c.score >= 0.3) out.push({ lock: li, score: c.score, variant: c.variant });
  }
  return out.sort((a, b) => b.score - a.score);
});
}
