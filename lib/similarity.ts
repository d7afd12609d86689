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

/** Tokens are all letters or all digits (`nameTokens`): the first character tells. */
const isNumber = (t: string) => t.length > 0 && t.charCodeAt(0) >= 48 && t.charCodeAt(0) <= 57 && /^\d+$/.test(t);
export const isNumberToken = isNumber;

function sameBag(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  if (a.length === 2) return (a[0] === b[0] && a[1] === b[1]) || (a[0] === b[1] && a[1] === b[0]);
  const x = [...a].sort();
  const y = [...b].sort();
  return x.every((t, i) => t === y[i]);
}

/** Where `part` occurs as a contiguous run of `whole`, or -1 (shorter runs may occur several times: the first). */
function runAt(whole: readonly string[], part: readonly string[]): number {
  if (!part.length || part.length > whole.length) return -1;
  outer: for (let i = 0; i + part.length <= whole.length; i++) {
    for (let j = 0; j < part.length; j++) if (whole[i + j] !== part[j]) continue outer;
    return i;
  }
  return -1;
}

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
  // Same parts in another order ("Box 12 (A)" and "A-12") or one name inside the other with a
  // building code or a word around it ("B2 A-12" and "A-12"): close, though not certain.
  if (sameBag(ta, tb)) return 0.97;
  const [short, long] = ta.length <= tb.length ? [ta, tb] : [tb, ta];
  const contained = runAt(long, short) >= 0 ? Math.max(0.6, 0.93 - 0.03 * (long.length - short.length)) : 0;
  const tokenScore = dice(ta, tb);
  const charScore = dice(bigrams(ta.join('')), bigrams(tb.join('')));
  let score = 0.6 * tokenScore + 0.4 * charScore;
  const [na, la] = [ta.filter(isNumber), ta.filter((t) => !isNumber(t))];
  const [nb, lb] = [tb.filter(isNumber), tb.filter((t) => !isNumber(t))];
  const disjoint = (x: string[], y: string[]) => x.length > 0 && y.length > 0 && !x.some((t) => y.includes(t));
  if (disjoint(na, nb)) score *= 0.3;
  // Same number in another block ("A-12" vs "B-12") is still another unit.
  else if (na.length && nb.length && disjoint(la, lb)) score *= 0.6;
  return Math.round(Math.max(score, contained) * 1000) / 1000;
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

// ---------- unit ↔ lock matching for whole-site proposals (lib/mapping-proposal.ts) ----------

/** How a unit's parts were found in a lock title, best first. */
export type MatchKind = 'exact' | 'reordered' | 'contained' | 'partial' | 'different_number' | 'none';

export interface NameMatch {
  /** In [0, 1]; comparable between candidates of one unit and of one lock. */
  score: number;
  kind: MatchKind;
  /** Unit parts found in the lock title (normalised: "A-012" gives "a", "12"). */
  matched: string[];
  /** Unit parts found only approximately: a typo ("nrod" for "nord") or an abbreviation ("n"). */
  approximate: { unit: string; lock: string; how: 'typo' | 'abbreviation' }[];
  /** Unit parts missing from the lock title. */
  unitOnly: string[];
  /** Lock title parts with no counterpart in the unit name (building codes, words). */
  lockOnly: string[];
}

const weight = (t: string) => (isNumber(t) ? 2 : 1);

/** At most one edit (insert, delete, substitute, or swap of neighbours) apart; both of length ≥ 4. */
function oneEditApart(a: string, b: string): boolean {
  if (a.length < 4 || b.length < 4 || Math.abs(a.length - b.length) > 1 || a === b) return false;
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  if (a.length === b.length) {
    if (a.slice(i + 1) === b.slice(i + 1)) return true;
    return a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2);
  }
  return a.length > b.length ? a.slice(i + 1) === b.slice(i) : a.slice(i) === b.slice(i + 1);
}

/**
 * Compares a unit name's tokens with a lock title's tokens (both from `nameTokens`). Built for
 * telling one unit from its neighbours: every number of the unit must be in the title (A-12 is
 * never ), the unit's parts in their order with a code before or after them
 * ("B2 A-12") cost little, the same parts reordered ("Box 12 (A)") a little more, and parts
 * missing from the title (the block letter) a lot, so "A-12" and "B-12" never tie with the
 * right lock. Words may differ by one typo or be abbreviated ("N" for "Nord") at a discount.
 */
export function compareTokens(unit: readonly string[], lock: readonly string[]): NameMatch {
  const detail: Detail = { matched: [], approximate: [], unitOnly: [], lockOnly: [], kind: 'none' };
  const score = compare(unit, lock, detail);
  return { score, kind: detail.kind, matched: detail.matched, approximate: detail.approximate, unitOnly: detail.unitOnly, lockOnly: detail.lockOnly };
}

/** `compareTokens(unit, lock).score` without building the evidence: the whole-site proposal scores millions of pairs. */
export function scoreTokens(unit: readonly string[], lock: readonly string[]): number {
  return compare(unit, lock, null);
}

type Detail = Omit<NameMatch, 'score'>;

/** Marks of lock positions taken, reused between calls (titles are at most 200 characters). */
let marks = new Int32Array(256);
let generation = 0;

function compare(unit: readonly string[], lock: readonly string[], d: Detail | null): number {
  if (!unit.length || !lock.length) {
    if (d) Object.assign(d, { kind: 'none', unitOnly: [...unit], lockOnly: [...lock] });
    return 0;
  }
  let same = unit.length === lock.length;
  for (let i = 0; same && i < unit.length; i++) same = unit[i] === lock[i];
  if (same || sameBag(unit, lock)) {
    if (d) Object.assign(d, { kind: same ? 'exact' : 'reordered', matched: [...unit] });
    return same ? 1 : 0.97;
  }

  const at = runAt(lock, unit);
  if (at >= 0) {
    // A code before or after the name: cheap, whatever it holds (a building number too).
    const extra = lock.length - unit.length;
    if (d) Object.assign(d, { kind: 'contained', matched: [...unit], lockOnly: [...lock.slice(0, at), ...lock.slice(at + unit.length)] });
    return round3(0.95 - Math.min(0.12, 0.03 * extra));
  }

  // General case: match exact tokens first, then typos and abbreviations among the words left.
  if (lock.length > marks.length) marks = new Int32Array(lock.length * 2);
  if (unit.length > unitMarks.length) unitMarks = new Int32Array(unit.length * 2);
  const g = ++generation;
  let got = 0;
  let total = 0;
  let missingNumber = false;
  let missingWord = false;
  run.found = 0;
  run.first = -1;
  run.last = -1;
  run.previous = -1;
  run.inOrder = true;
  for (let i = 0; i < unit.length; i++) {
    const t = unit[i]!;
    const w = weight(t);
    total += w;
    for (let j = 0; j < lock.length; j++)
      if (marks[j] !== g && lock[j] === t) {
        take(j, g);
        unitMarks[i] = g;
        got += w;
        d?.matched.push(t);
        break;
      }
  }
  // Second pass, so an exact match elsewhere in the title is never taken by an approximate one.
  for (let i = 0; i < unit.length; i++) {
    if (unitMarks[i] === g) continue;
    const t = unit[i]!;
    if (isNumber(t)) {
      missingNumber = true;
      d?.unitOnly.push(t);
      continue;
    }
    let k = -1;
    let how: 'typo' | 'abbreviation' = 'typo';
    for (let j = 0; j < lock.length; j++) {
      const x = lock[j]!;
      if (marks[j] === g || isNumber(x)) continue;
      if (oneEditApart(t, x)) {
        k = j;
        how = 'typo';
        break;
      }
      if (t.length >= 3 && x.length < t.length && t.startsWith(x)) {
        k = j;
        how = 'abbreviation';
        break;
      }
    }
    if (k >= 0) {
      take(k, g);
      got += how === 'typo' ? 0.85 : 0.8;
      d?.approximate.push({ unit: t, lock: lock[k]!, how });
    } else {
      missingWord = true;
      d?.unitOnly.push(t);
    }
  }
  let extraNumbers = 0;
  let extraWords = 0;
  for (let j = 0; j < lock.length; j++)
    if (marks[j] !== g) {
      if (isNumber(lock[j]!)) extraNumbers++;
      else extraWords++;
      d?.lockOnly.push(lock[j]!);
    }
  if (missingNumber) {
    // Another number is another unit, however alike the rest looks.
    if (d) d.kind = 'different_number';
    return round3(Math.min(0.3, (0.3 * got) / total));
  }
  if (!run.found) {
    if (d) Object.assign(d, { kind: 'none', unitOnly: [...unit], lockOnly: [...lock] });
    return 0;
  }
  if (d) d.kind = 'partial';
  let score = 0.95 * (got / total);
  if (missingWord) score *= 0.8;
  // Parts scattered among other parts, or in another order: a weaker sign than a clean run.
  const contiguous = run.last - run.first + 1 === run.found;
  if (!run.inOrder) score -= 0.03;
  // An extra number outside a clean run is likely the number of another unit ("B2 A12" for A-2).
  score -= extraNumbers * 0.15 + extraWords * (contiguous ? 0.03 : 0.06);
  return round3(Math.max(0, score));
}

/** Where the matched parts sit in the title (for "in order" and "one run"), kept between calls. */
const run = { found: 0, first: -1, last: -1, previous: -1, inOrder: true };
let unitMarks = new Int32Array(64);

function take(k: number, g: number) {
  marks[k] = g;
  run.found++;
  if (run.first < 0 || k < run.first) run.first = k;
  if (k > run.last) run.last = k;
  if (k < run.previous) run.inOrder = false;
  run.previous = k;
}

const round3 = (n: number) => Math.round(n * 1000) / 1000;
