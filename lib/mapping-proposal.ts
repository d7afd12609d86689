/**
 * Proposes a one-to-one mapping for a whole site: every unmapped unit against every unmapped
 * lock, by name (lib/similarity.ts `compareTokens`). Pure and synchronous, so the API answers
 * it from rows it has just read and the benchmark times it alone.
 *
 * A pair is proposed only when it is each other's best by a clear margin (mutual best), so no
 * lock is proposed twice and a tie is never proposed. Pairs that are certain enough are fixed
 * first, then the rest is compared again without them (a lock taken by its obvious unit no
 * longer competes for the others). Operator corrections are fixed before anything else, and
 * the naming they show (a building code before the unit name, another word for a block, an
 * offset in the numbers) is learnt and used for the remaining rows.
 */
import { compareTokens, isNumberToken, nameTokens, scoreTokens } from './similarity.ts';
import type { Confidence, Correction, Evidence, MappingProposal, NamingRule, ProposalReason, ProposalRow, RuleReport } from './mapping-proposal-schema.ts';
import { confidenceLevels } from './mapping-proposal-schema.ts';

export interface ProposalUnit {
  id: string;
  externalId: string;
  name: string;
}

export interface ProposalLock {
  id: string;
  title: string;
}

export interface ProposalInput {
  locationId: string;
  /** The location's units without a lock. */
  units: readonly ProposalUnit[];
  /** The locks that may be proposed (without a unit). */
  locks: readonly ProposalLock[];
  corrections?: readonly Correction[];
}

/** Thresholds on `compareTokens` scores and on the lead over the next candidate. */
export const THRESHOLDS = { high: 0.85, highMargin: 0.1, medium: 0.6, mediumMargin: 0.05, tie: 0.02 } as const;
const MAX_ROUNDS = 4;
const ALTERNATIVES = 3;
const CROWDED_POOL = 200;

// ---------- naming rules ----------

/** "B2" → "ln": letters and numbers, the shape a code keeps from building to building. */
const shapeOf = (tokens: readonly string[]) => tokens.map((t) => (isNumberToken(t) ? 'n' : 'l')).join('');

/** A lock title's tokens with word and number rules applied (the codes are stripped in `variants`). */
function rewrite(tokens: readonly string[], rules: readonly NamingRule[]): string[] {
  let out = [...tokens];
  for (const r of rules) {
    if (r.kind === 'word') out = out.map((t) => (t === r.lock ? r.unit : t));
    if (r.kind === 'number_offset') out = out.map((t) => (isNumberToken(t) && Number(t) - r.offset >= 0 ? String(Number(t) - r.offset) : t));
  }
  return out;
}

interface Variant {
  tokens: string[];
  /** Indexes of the rules that produced it. */
  rules: number[];
}

/** The ways a lock title may be read under the rules: as written, rewritten, codes stripped. */
function variants(tokens: string[], rules: readonly NamingRule[]): Variant[] {
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

// ---------- matching ----------

interface Candidate {
  lock: number;
  score: number;
  /** Which reading of the lock title (`variants`) scored it. */
  variant: number;
}

const fold = (name: string) => name.normalize('NFC').replace(/\s+/g, ' ').trim().toLowerCase();
const byName = (a: { name: string }, b: { name: string }) => a.name.localeCompare(b.name, undefined, { numeric: true });

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

/** Computes the proposal. Units and locks named in `corrections` are taken as the operator set them. */
export function proposeMapping(input: ProposalInput): MappingProposal {
  const unitsById = new Map(input.units.map((u) => [u.id, u]));
  const locksById = new Map(input.locks.map((l) => [l.id, l]));
  const rows: ProposalRow[] = [];
  const takenLocks = new Set<string>();
  const doneUnits = new Set<string>();

  // Operator corrections first; the last one for a unit wins, a lock is given once.
  const corrections = new Map<string, string | null>();
  for (const c of input.corrections ?? []) if (unitsById.has(c.unitId)) corrections.set(c.unitId, c.lockId);
  const taught: { unitName: string; lockTitle: string }[] = [];
  for (const [unitId, lockId] of corrections) {
    const unit = unitsById.get(unitId)!;
    const lock = lockId ? locksById.get(lockId) : undefined;
    if (lockId && (!lock || takenLocks.has(lockId))) continue;
    doneUnits.add(unitId);
    if (!lock) {
      rows.push({ unit: ref(unit), lock: null, confidence: 'confirmed', reason: 'skipped', score: 0, margin: 0, evidence: null, alternatives: [] });
      continue;
    }
    takenLocks.add(lock.id);
    taught.push({ unitName: unit.name, lockTitle: lock.title });
    rows.push({ unit: ref(unit), lock: { id: lock.id, title: lock.title }, confidence: 'confirmed', reason: 'confirmed', score: 1, margin: 1, evidence: null, alternatives: [] });
  }
  const units = input.units.filter((u) => !doneUnits.has(u.id));
  const locks = input.locks.filter((l) => !takenLocks.has(l.id));
  const unitTokens = units.map((u) => nameTokens(u.name));
  const learnt = learnNamingRules(taught);
  const site = inferSiteCodes(
    input.units.map((u) => nameTokens(u.name)),
    input.locks.map((l) => nameTokens(l.title)),
  ).filter((r) => !learnt.some((x) => x.kind === r.kind && 'shape' in x && 'shape' in r && x.shape === r.shape));
  const rules = [...learnt, ...site];
  const lockVariants = locks.map((l) => variants(nameTokens(l.title), rules));

  // Units the mapping file cannot tell apart (it names units): never proposed.
  const nameCount = new Map<string, number>();
  for (const u of units) nameCount.set(fold(u.name), (nameCount.get(fold(u.name)) ?? 0) + 1);
  const duplicate = units.map((u) => nameCount.get(fold(u.name))! > 1);

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
  const candidates: Candidate[][] = unitTokens.map((tokens) => {
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

  const unitDone = new Array<boolean>(units.length).fill(false);
  const lockDone = new Array<boolean>(locks.length).fill(false);
  const decided: { ui: number; c: Candidate; margin: number; confidence: Confidence; reason: ProposalReason }[] = [];

  /** Every open unit's best open lock, its lead, and whether that lock's best unit is it. */
  function evaluate() {
    const lockBest = new Map<number, { ui: number; score: number; second: number }>();
    const perUnit = units.map((_, ui) => {
      if (unitDone[ui]) return null;
      const open = candidates[ui]!.filter((c) => !lockDone[c.lock]);
      for (const c of open) {
        const b = lockBest.get(c.lock);
        if (!b) lockBest.set(c.lock, { ui, score: c.score, second: 0 });
        else if (c.score > b.score) lockBest.set(c.lock, { ui, score: c.score, second: b.score });
        else if (c.score > b.second) b.second = c.score;
      }
      return open;
    });
    return perUnit.map((open, ui) => {
      if (!open?.length) return null;
      const best = open[0]!;
      const lb = lockBest.get(best.lock)!;
      const mutual = lb.ui === ui || lb.score === best.score;
      const rival = Math.max(open[1]?.score ?? 0, lb.ui === ui ? lb.second : lb.score);
      return { best, open, margin: round3(best.score - rival), mutual };
    });
  }

  for (let round = 0; round < MAX_ROUNDS; round++) {
    const found = evaluate().flatMap((e, ui) =>
      e && !duplicate[ui] && e.mutual && e.best.score >= THRESHOLDS.high && e.margin >= THRESHOLDS.highMargin ? [{ ui, e }] : [],
    );
    if (!found.length) break;
    for (const { ui, e } of found) {
      unitDone[ui] = true;
      lockDone[e.best.lock] = true;
      decided.push({ ui, c: e.best, margin: e.margin, confidence: 'high', reason: 'clear' });
    }
  }

  const last = evaluate();
  const alternativesOf = (open: Candidate[], skip: number) =>
    open
      .filter((c) => c.lock !== skip && c.score >= 0.3)
      .slice(0, ALTERNATIVES)
      .map((c) => ({ lock: { id: locks[c.lock]!.id, title: locks[c.lock]!.title }, score: c.score }));
  // The evidence of the pairs shown, worked out again in full (candidates keep scores only).
  const evidence = (ui: number, c: Candidate): Evidence => {
    const v = lockVariants[c.lock]![c.variant]!;
    const m = compareTokens(unitTokens[ui]!, v.tokens);
    return { kind: m.kind, matched: m.matched, approximate: m.approximate, unitOnly: m.unitOnly, lockOnly: m.lockOnly, rules: v.rules };
  };

  // Medium: mutual best, ahead but not by enough (or scoring too low) to accept in bulk.
  const mediumLocks = new Set<number>();
  last.forEach((e, ui) => {
    if (!e || duplicate[ui] || !e.mutual || e.best.score < THRESHOLDS.medium || e.margin < THRESHOLDS.mediumMargin) return;
    if (mediumLocks.has(e.best.lock)) return;
    mediumLocks.add(e.best.lock);
    unitDone[ui] = true;
    decided.push({ ui, c: e.best, margin: e.margin, confidence: 'medium', reason: 'close' });
  });
  for (const d of decided) {
    const u = units[d.ui]!;
    const l = locks[d.c.lock]!;
    rows.push({
      unit: ref(u),
      lock: { id: l.id, title: l.title },
      confidence: d.confidence,
      reason: d.reason,
      score: d.c.score,
      margin: d.margin,
      evidence: evidence(d.ui, d.c),
      alternatives: alternativesOf(candidates[d.ui]!, d.c.lock),
    });
  }
  // Left for a person: say why, and show the candidates.
  units.forEach((u, ui) => {
    if (unitDone[ui]) return;
    const e = last[ui];
    const open = e?.open ?? [];
    const top = open[0];
    let reason: ProposalReason = 'no_candidate';
    if (duplicate[ui]) reason = 'duplicate_name';
    else if (top && top.score >= 0.3) reason = e && e.margin < THRESHOLDS.tie ? 'tie' : 'weak';
    rows.push({
      unit: ref(u),
      lock: null,
      confidence: 'low',
      reason,
      score: top?.score ?? 0,
      margin: e?.margin ?? 0,
      evidence: top && top.score >= 0.3 ? evidence(ui, top) : null,
      alternatives: alternativesOf(open, -1),
    });
  });

  const used = new Map<number, number>();
  for (const r of rows) for (const i of r.evidence?.rules ?? []) if (r.lock) used.set(i, (used.get(i) ?? 0) + 1);
  // A code the site's titles share but no proposed pair needed is not worth reporting.
  const kept = rules.flatMap((_, i) => (i < learnt.length || used.get(i) ? [i] : []));
  const ruleReports: RuleReport[] = kept.map((i) => ({
    rule: rules[i]!,
    source: i < learnt.length ? 'corrections' : 'site',
    description: describeRule(rules[i]!),
    used: used.get(i) ?? 0,
  }));
  const position = new Map(kept.map((i, k) => [i, k]));
  for (const r of rows) if (r.evidence) r.evidence.rules = r.evidence.rules.flatMap((i) => (position.has(i) ? [position.get(i)!] : []));
  const groups = confidenceLevels.map((confidence) => ({
    confidence,
    rows: rows.filter((r) => r.confidence === confidence).sort((a, b) => byName(a.unit, b.unit) || a.unit.externalId.localeCompare(b.unit.externalId)),
  }));
  const proposedLocks = new Set(rows.flatMap((r) => (r.lock ? [r.lock.id] : [])));
  const count = (c: Confidence) => rows.filter((r) => r.confidence === c).length;
  return {
    locationId: input.locationId,
    groups,
    rules: ruleReports,
    totals: {
      units: input.units.length,
      locks: input.locks.length,
      confirmed: count('confirmed'),
      high: count('high'),
      medium: count('medium'),
      low: count('low'),
      locksLeft: input.locks.filter((l) => !proposedLocks.has(l.id)).length,
    },
  };
}

const ref = (u: ProposalUnit) => ({ id: u.id, externalId: u.externalId, name: u.name });
const round3 = (n: number) => Math.round(n * 1000) / 1000;

/** Every row of a proposal, group after group. */
export const proposalRows = (p: MappingProposal) => p.groups.flatMap((g) => g.rows);

/**
 * The download: the mapping file's two columns plus the confidence, for rows with a lock
 * (operator-confirmed, high and medium). Ordered like the review screen.
 */
export function proposalFileRows(p: MappingProposal, levels: readonly Confidence[] = ['confirmed', 'high', 'medium']): string[][] {
  return proposalRows(p).flatMap((r) => (r.lock && levels.includes(r.confidence) ? [[r.lock.id, r.unit.name, r.confidence]] : []));
}
