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
import { compareTokens, nameTokens } from './similarity.ts';
import type { Confidence, Correction, Evidence, MappingProposal, ProposalReason, ProposalRow, RuleReport } from './mapping-proposal-schema.ts';
import { confidenceLevels } from './mapping-proposal-schema.ts';
import { candidatesOf, type Candidate } from './mapping-proposal-candidates.ts';
import { describeRule, inferSiteCodes, learnNamingRules, variants } from './mapping-proposal-rules.ts';

// The naming rules and the rows' readers are separate modules; importers keep using this one.
export { describeRule, inferSiteCodes, learnNamingRules } from './mapping-proposal-rules.ts';
export { proposalFileRows, proposalRows } from './mapping-proposal-rows.ts';

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

const fold = (name: string) => name.normalize('NFC').replace(/\s+/g, ' ').trim().toLowerCase();
const byName = (a: { name: string }, b: { name: string }) => a.name.localeCompare(b.name, undefined, { numeric: true });

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

  const candidates = candidatesOf(unitTokens, lockVariants);

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
