/**
 * Name similarity between a Tapkey lock title and manager unit names. Admins title locks
 * their own way ("A12 door", "Unit A-12", "Storage A 12") while the manager says "A-12", so
 * the comparison works on normalised alphanumeric runs: filler words dropped, letters and
 * digits split apart, leading zeros removed. Pure and synchronous: it runs in the content
 * script for hundreds of units on every dialog open.
 */

/** Words that describe what a lock is on, not which unit: dropped before comparing. */
const FILLER = new Set([
  'unit', 'units', 'door', 'doors', 'storage', 'lock', 'locks', 'box', 'room', 'no', 'nr', 'number', 'the',
  'einheit', 'tur', 'tuer', 'lager', 'abteil', 'raum',
  'porte', 'unite', 'casier', 'cellule', 'local',
]);

/**
 * "Unit A-012 door" → ["a", "12"]. Runs of letters and runs of digits are separate tokens so
 * "A12" and "A-12" agree; numbers lose leading zeros so "A-01" and "A1" agree. If only filler
 * words remain ("Door"), they are kept: an empty name would match nothing.
 */
export function nameTokens(name: string): string[] {
  const folded = name.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase();
  const runs = folded.match(/[a-z]+|\d+/g) ?? [];
  const tokens = runs.map((r) => (/^\d+$/.test(r) ? String(Number(r)) : r));
  const meaningful = tokens.filter((t) => !FILLER.has(t));
  return meaningful.length ? meaningful : tokens;
}

function bigrams(s: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < s.length - 1; i++) out.push(s.slice(i, i + 2));
  return out.length ? out : s ? [s] : [];
}

/** Sørensen–Dice coefficient of two multisets. */
function dice(a: string[], b: string[]): number {
  if (!a.length || !b.length) return 0;
  const counts = new Map<string, number>();
  for (const x of a) counts.set(x, (counts.get(x) ?? 0) + 1);
  let common = 0;
  for (const x of b) {
    const n = counts.get(x) ?? 0;
    if (n > 0) {
      common++;
      counts.set(x, n - 1);
    }
  }
  return (2 * common) / (a.length + b.length);
}

const isNumber = (t: string) => /^\d+$/.test(t);

/**
 * Similarity in [0, 1]: 1 when the normalised tokens are equal; otherwise a blend of token
 * overlap and character-bigram overlap. Different unit numbers are a strong signal of a
 * different unit ("A-12" vs "A-13" look alike as text), so disjoint numbers cut the score.
 */
export function nameSimilarity(a: string, b: string): number {
  const ta = nameTokens(a);
  const tb = nameTokens(b);
  if (!ta.length || !tb.length) return 0;
  if (ta.join(' ') === tb.join(' ')) return 1;
  const tokenScore = dice(ta, tb);
  const charScore = dice(bigrams(ta.join('')), bigrams(tb.join('')));
  let score = 0.6 * tokenScore + 0.4 * charScore;
  const [na, la] = [ta.filter(isNumber), ta.filter((t) => !isNumber(t))];
  const [nb, lb] = [tb.filter(isNumber), tb.filter((t) => !isNumber(t))];
  const disjoint = (x: string[], y: string[]) => x.length > 0 && y.length > 0 && !x.some((t) => y.includes(t));
  if (disjoint(na, nb)) score *= 0.3;
  // Same number in another block ("A-12" vs "B-12") is still another unit.
  else if (na.length && nb.length && disjoint(la, lb)) score *= 0.6;
  return Math.round(score * 1000) / 1000;
}

export interface Ranked<T> {
  item: T;
  score: number;
}

/**
 * The best matches for `title` among `items`, best first, ties by name in natural order.
 * Only scores of at least `min` count as suggestions; `limit` caps how many are returned.
 */
export function rankByName<T extends { name: string }>(title: string, items: readonly T[], { limit = 3, min = 0.6 } = {}): Ranked<T>[] {
  return items
    .map((item) => ({ item, score: nameSimilarity(title, item.name) }))
    .filter((r) => r.score >= min)
    .sort((x, y) => y.score - x.score || x.item.name.localeCompare(y.item.name, undefined, { numeric: true }))
    .slice(0, limit);
}
