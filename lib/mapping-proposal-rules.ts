/**
 * The site's naming, as the mapping proposal (mapping-proposal.ts) reads lock titles: rules
 * learnt from the operator's corrections (another word, a number offset, a code around the
 * unit name), codes most titles of the site share, and the readings of a title they allow.
 */
import { compareTokens, isNumberToken, nameTokens } from './similarity.ts';
import type { NamingRule } from './mapping-proposal-schema.ts';

/** "B2" → "ln": letters and numbers, the shape a code keeps from building to building. */
const shapeOf = (tokens: readonly string[]) => tokens.map((t) => (isNumberToken(t) ? 'n' : 'l')).join('');

/** A lock title's tokens with word and number rules applied (the codes are stripped in `variants`). */
export function rewrite(tokens: readonly string[], rules: readonly NamingRule[]): string[] {
  let out = [...tokens];
  for (const r of rules) {
    if (r.kind === 'word') out = out.map((t) => (t === r.lock ? r.unit : t));
    if (r.kind === 'number_offset') out = out.map((t) => (isNumberToken(t) && Number(t) - r.offset >= 0 ? String(Number(t) - r.offset) : t));
  }
  return out;
}

export interface Variant {
  tokens: string[];
  /** Indexes of the rules that produced it. */
  rules: number[];
}

/** The ways a lock title may be read under the rules: as written, rewritten, codes stripped. */
export function variants(tokens: string[], rules: readonly NamingRule[]): Variant[] {
  const out: Variant[] = [{ tokens, rules: [] }];
  if (!rules.length) return out;
  const rewritingRules = rules.flatMap((r, i) => ((r.kind === 'word' && tokens.includes(r.lock)) || (r.kind === 'number_offset' && tokens.some(isNumberToken)) ? [i] : []));
  const base = rewritingRules.length ? rewrite(tokens, rules) : tokens;
  if (rewritingRules.length) out.push({ tokens: base, rules: rewritingRules });
  rules.forEach((r, i) => {
    if (r.kind !== 'code_before' && r.kind !== 'code_after') return;
    const n = r.shape.length;
    if (base.length <= n) return;
    const code = r.kind === 'code_before' ? base.slice(0, n) : base.slice(base.length - n);
    if (r.code ? code.join(' ') !== r.code.join(' ') : shapeOf(code) !== r.shape) return;
    out.push({ tokens: r.kind === 'code_before' ? base.slice(n) : base.slice(0, base.length - n), rules: [...rewritingRules, i] });
  });
  return out;
}

const sameRule = (a: NamingRule, b: NamingRule) => JSON.stringify({ ...a, examples: undefined }) === JSON.stringify({ ...b, examples: undefined });

/**
 * What the operator's pairs show about the site's naming. Each pair is compared as written;
 * words and numbers that differ one-for-one become word and offset rules, and what the title
 * holds before or after the unit name becomes a code rule of that shape. A rule two pairs
 * contradict (one word written two ways, two offsets) is not learnt.
 */
export function learnNamingRules(pairs: readonly { unitName: string; lockTitle: string }[]): NamingRule[] {
  const words = new Map<string, Set<string>>();
  const offsets: number[] = [];
  const codes: NamingRule[] = [];
  const examples = new Map<string, string[]>();
  for (const { unitName, lockTitle } of pairs) {
    const unit = nameTokens(unitName);
    const lock = nameTokens(lockTitle);
    if (!unit.length || !lock.length) continue;
    const m = compareTokens(unit, lock);
    for (const a of m.approximate) words.set(a.lock, (words.get(a.lock) ?? new Set()).add(a.unit));
    const unitWords = m.unitOnly.filter((t) => !isNumberToken(t));
    const lockWords = m.lockOnly.filter((t) => !isNumberToken(t));
    if (unitWords.length === 1 && lockWords.length === 1) words.set(lockWords[0]!, (words.get(lockWords[0]!) ?? new Set()).add(unitWords[0]!));
    const unitNumbers = m.unitOnly.filter(isNumberToken);
    const lockNumbers = m.lockOnly.filter(isNumberToken);
    if (unitNumbers.length === 1 && lockNumbers.length === 1) offsets.push(Number(lockNumbers[0]) - Number(unitNumbers[0]));
    else if (unitNumbers.length) offsets.push(Number.NaN);
  }
  const rules: NamingRule[] = [];
  for (const [lock, units] of words) if (units.size === 1) rules.push({ kind: 'word', lock, unit: [...units][0]! });
  // One pair with another number may be a one-off (a mislabelled lock): an offset needs two.
  const offset = offsets[0];
  if (offsets.length >= 2 && offsets.every((o) => o === offset) && Number.isInteger(offset) && offset !== 0) rules.push({ kind: 'number_offset', offset: offset! });
  // Codes around the name, read once words and numbers are rewritten as learnt.
  for (const { unitName, lockTitle } of pairs) {
    const unit = nameTokens(unitName);
    const lock = rewrite(nameTokens(lockTitle), rules);
    const at = findRun(lock, unit);
    if (at < 0) continue;
    const before = lock.slice(0, at);
    const after = lock.slice(at + unit.length);
    for (const [kind, code] of [['code_before', before], ['code_after', after]] as const) {
      if (!code.length) continue;
      const rule: NamingRule = { kind, shape: shapeOf(code), code: null, examples: [] };
      const key = JSON.stringify(rule);
      if (!codes.some((c) => sameRule(c, rule))) codes.push(rule);
      const text = code.join('').toUpperCase();
      const list = examples.get(key) ?? [];
      if (!list.includes(text) && list.length < 3) list.push(text);
      examples.set(key, list);
    }
  }
  for (const c of codes) rules.push({ ...c, examples: examples.get(JSON.stringify(c)) ?? [] } as NamingRule);
  return rules;
}

function findRun(whole: readonly string[], part: readonly string[]): number {
  if (!part.length || part.length > whole.length) return -1;
  outer: for (let i = 0; i + part.length <= whole.length; i++) {
    for (let j = 0; j < part.length; j++) if (whole[i + j] !== part[j]) continue outer;
    return i;
  }
  return -1;
}

/** Titles sharing a code count as the site's naming from this share of the locks (and at least MIN_CODE_LOCKS). */
const SITE_CODE_SHARE = 0.2;
const MIN_CODE_LOCKS = 5;

/**
 * Codes most lock titles of the site start or end with ("B2 A-12", "B2-A13", …), found without
 * any correction: reading titles without them makes "B2-A01" the unit A-01's lock rather than
 * a title that also contains "B2" (a unit B-02). A code most unit names share too ("Nord" in
 * "Nord A-12") is part of the names, not a code.
 */
export function inferSiteCodes(unitTokens: readonly string[][], lockTokens: readonly string[][]): NamingRule[] {
  const rules: NamingRule[] = [];
  const minimum = Math.max(MIN_CODE_LOCKS, SITE_CODE_SHARE * lockTokens.length);
  for (const kind of ['code_before', 'code_after'] as const) {
    for (const k of [2, 1]) {
      const cut = (t: readonly string[]) => (kind === 'code_before' ? t.slice(0, k) : t.slice(t.length - k)).join(' ');
      const counts = new Map<string, number>();
      for (const t of lockTokens) if (t.length > k) counts.set(cut(t), (counts.get(cut(t)) ?? 0) + 1);
      const unitCounts = new Map<string, number>();
      for (const t of unitTokens) if (t.length >= k) unitCounts.set(cut(t), (unitCounts.get(cut(t)) ?? 0) + 1);
      for (const [code, n] of counts) {
        if (n < minimum || (unitCounts.get(code) ?? 0) >= SITE_CODE_SHARE * unitTokens.length) continue;
        const tokens = code.split(' ');
        // A shorter code inside a longer one already found ("2" of "b 2") adds nothing.
        if (rules.some((r) => r.kind === kind && r.code && r.code.join(' ').includes(code))) continue;
        rules.push({ kind, shape: shapeOf(tokens), code: tokens, examples: [tokens.join('').toUpperCase()] });
      }
    }
  }
  return rules;
}

/** A rule in English (the review screen words it from the rule itself in the user's language). */
export function describeRule(rule: NamingRule): string {
  switch (rule.kind) {
    case 'code_before':
      return `Lock titles carry the unit name after a code${rule.examples.length ? ` such as ${rule.examples.map((e) => `“${e}”`).join(', ')}` : ''}.`;
    case 'code_after':
      return `Lock titles carry the unit name before a code${rule.examples.length ? ` such as ${rule.examples.map((e) => `“${e}”`).join(', ')}` : ''}.`;
    case 'word':
      return `Lock titles write “${rule.unit}” as “${rule.lock}”.`;
    case 'number_offset':
      return `Lock numbers are the unit numbers ${rule.offset > 0 ? 'plus' : 'minus'} ${Math.abs(rule.offset)}.`;
  }
}
