import { describe, expect, it } from 'vitest';
import { describeRule, proposalFileRows, proposalRows, proposeMapping, THRESHOLDS, type ProposalLock, type ProposalUnit } from '../../lib/mapping-proposal.ts';
import { mappingProposalSchema, type MappingProposal } from '../../lib/mapping-proposal-schema.ts';
import { seededRandom } from '../../sandbox/shared/random.ts';
import { generateSite, schemes, uuid, type Site } from './proposal-sites.ts';

function measure(site: Site, p: MappingProposal) {
  const high = proposalRows(p).filter((r) => r.confidence === 'high');
  const correct = high.filter((r) => site.truth.get(r.unit.id) === r.lock!.id).length;
  return { high: high.length, correct, precision: high.length ? correct / high.length : 1, coverage: correct / site.truth.size };
}

function expectOneToOne(p: MappingProposal) {
  const rows = proposalRows(p);
  const locks = rows.flatMap((r) => (r.lock ? [r.lock.id] : []));
  expect(new Set(locks).size, 'a lock proposed twice').toBe(locks.length);
  expect(new Set(rows.map((r) => r.unit.id)).size, 'a unit listed twice').toBe(rows.length);
}

describe('proposals on generated 500-unit sites', () => {
  const results: Record<string, string>[] = [];
  const seeds = [1, 2];

  it.each(Object.keys(schemes))('%s: high-confidence pairs at least 99 percent correct, covering at least 90 percent of the units with a lock', (scheme) => {
    for (const seed of seeds) {
      const site = generateSite(scheme, 500, { seed });
      const p = proposeMapping({ locationId: 'loc', units: site.units, locks: site.locks });
      expect(mappingProposalSchema.safeParse(p).success).toBe(true);
      expectOneToOne(p);
      const m = measure(site, p);
      results.push({
        scheme,
        seed: String(seed),
        units: String(site.units.length),
        'with lock': String(site.truth.size),
        locks: String(site.locks.length),
        high: String(m.high),
        precision: `${(m.precision * 100).toFixed(2)} %`,
        coverage: `${(m.coverage * 100).toFixed(2)} %`,
        medium: String(p.totals.medium),
        'left for a person': String(p.totals.low),
      });
      expect(m.precision, `${scheme} seed ${seed} precision`).toBeGreaterThanOrEqual(0.99);
      expect(m.coverage, `${scheme} seed ${seed} coverage`).toBeGreaterThanOrEqual(0.9);
      // Every row of the site is accounted for.
      expect(proposalRows(p)).toHaveLength(site.units.length);
    }
  });

  it('prints precision and coverage per scheme', () => {
    console.log('\nMapping proposal on generated sites (high confidence only)');
    console.table(results);
    expect(results).toHaveLength(Object.keys(schemes).length * seeds.length);
  });
});

describe('what is never proposed', () => {
  const units = (names: string[]): ProposalUnit[] => names.map((name, i) => ({ id: `u${i}`, externalId: `E${i}`, name }));
  const locks = (titles: string[]): ProposalLock[] => titles.map((title, i) => ({ id: `l${i}`, title }));
  const row = (p: MappingProposal, name: string) => proposalRows(p).find((r) => r.unit.name === name)!;

  it('leaves a unit with two locks of the same title for a person, listing both', () => {
    const p = proposeMapping({ locationId: 'x', units: units(['A-01', 'A-02']), locks: locks(['Unit A-01', 'A01 door', 'A-02']) });
    expect(row(p, 'A-01')).toMatchObject({ lock: null, confidence: 'low', reason: 'tie', margin: 0 });
    expect(row(p, 'A-01').alternatives.map((a) => a.lock.id).sort()).toEqual(['l0', 'l1']);
    expect(row(p, 'A-02')).toMatchObject({ lock: { id: 'l2' }, confidence: 'high', reason: 'clear' });
  });

  it('leaves a lock that fits two units (the same name in two buildings, title without the building)', () => {
    const p = proposeMapping({ locationId: 'x', units: units(['Nord A-12', 'Süd A-12']), locks: locks(['A12']) });
    for (const name of ['Nord A-12', 'Süd A-12']) expect(row(p, name)).toMatchObject({ lock: null, confidence: 'low' });
  });

  it('never proposes units whose names the mapping file cannot tell apart', () => {
    const p = proposeMapping({ locationId: 'x', units: units(['A-12', 'a-12 ']), locks: locks(['A12', 'B12']) });
    expect(proposalRows(p).map((r) => [r.unit.name, r.lock, r.reason])).toEqual([
      ['A-12', null, 'duplicate_name'],
      ['a-12 ', null, 'duplicate_name'],
    ]);
  });

  it('never gives a unit a lock with another number, and shared doors to nobody', () => {
    const p = proposeMapping({ locationId: 'x', units: units(['A-12', 'A-13']), locks: locks(['A-120', 'A-1', 'Main entrance']) });
    for (const r of proposalRows(p)) expect(r.lock).toBeNull();
    expect(p.totals.locksLeft).toBe(3);
  });

  it('proposes the best of two close locks as medium, for a person to check, never high', () => {
    // "A12 spare" is nearly as good a title for A-12 as "A12".
    const p = proposeMapping({ locationId: 'x', units: units(['A-12']), locks: locks(['A12', 'A12 spare']) });
    expect(row(p, 'A-12')).toMatchObject({ lock: { id: 'l0' }, confidence: 'medium', reason: 'close', score: 1, margin: 0.08 });
    expect(row(p, 'A-12').alternatives).toEqual([{ lock: { id: 'l1', title: 'A12 spare' }, score: 0.92 }]);
  });

  it('reads a typo in a word and says so', () => {
    const p = proposeMapping({ locationId: 'x', units: units(['Nord Garage', 'Süd Garage']), locks: locks(['Garage Nrod']) });
    const r = row(p, 'Nord Garage');
    expect(r).toMatchObject({ lock: { id: 'l0' }, confidence: 'high' });
    expect(r.evidence?.approximate).toEqual([{ unit: 'nord', lock: 'nrod', how: 'typo' }]);
    expect(r.score).toBeLessThan(1);
    // Its only candidate went to Nord Garage: nothing is left for it.
    expect(row(p, 'Süd Garage')).toMatchObject({ lock: null, reason: 'no_candidate' });
  });

  it('high pairs always lead every rival by the margin (ties are never accepted in bulk)', () => {
    for (const scheme of Object.keys(schemes)) {
      const p = proposeMapping({ locationId: 'x', ...generateSite(scheme, 300, { seed: 9, duplicateTitles: 0.05 }) });
      for (const r of proposalRows(p).filter((x) => x.confidence === 'high')) {
        expect(r.margin).toBeGreaterThanOrEqual(THRESHOLDS.highMargin);
        expect(r.score).toBeGreaterThanOrEqual(THRESHOLDS.high);
      }
    }
  });

  it('shows the evidence: matched parts and the extra parts of the title', () => {
    const p = proposeMapping({ locationId: 'x', units: units(['A-12', 'B-12']), locks: locks(['Box 12 (A)', 'B2-B012']) });
    expect(row(p, 'A-12')).toMatchObject({ confidence: 'high', evidence: { kind: 'reordered', matched: ['a', '12'], lockOnly: [] } });
    expect(row(p, 'B-12')).toMatchObject({ lock: { id: 'l1' }, evidence: { kind: 'contained', matched: ['b', '12'], lockOnly: ['b', '2'] } });
  });
});

describe('learning the site naming from corrections', () => {
  const r = seededRandom(42);
  const mk = (name: string): ProposalUnit => ({ id: uuid(r), externalId: name, name });
  const lk = (title: string): ProposalLock => ({ id: uuid(r), title });

  it('learns another word for each block and proposes the rest with it', () => {
    const units = [...Array.from({ length: 30 }, (_, i) => mk(`Keller-${i + 1}`)), ...Array.from({ length: 30 }, (_, i) => mk(`Dach-${i + 1}`))];
    const locks = [...Array.from({ length: 30 }, (_, i) => lk(`Basement ${i + 1}`)), ...Array.from({ length: 30 }, (_, i) => lk(`Roof ${i + 1}`))];
    const truth = new Map(units.map((u, i) => [u.id, locks[i]!.id]));
    const before = proposeMapping({ locationId: 'x', units, locks });
    // "Keller-3" and "Dach-3" both fit "Basement 3" and "Roof 3" equally: nothing is proposed.
    expect(before.totals.high + before.totals.medium).toBe(0);
    expect(before.rules).toEqual([]);

    const corrections = [
      { unitId: units[0]!.id, lockId: locks[0]!.id },
      { unitId: units[30]!.id, lockId: locks[30]!.id },
    ];
    const after = proposeMapping({ locationId: 'x', units, locks, corrections });
    expect(after.rules.map((x) => [x.rule, x.source, x.description])).toEqual([
      [{ kind: 'word', lock: 'basement', unit: 'keller' }, 'corrections', 'Lock titles write “keller” as “basement”.'],
      [{ kind: 'word', lock: 'roof', unit: 'dach' }, 'corrections', 'Lock titles write “dach” as “roof”.'],
    ]);
    expect(after.rules.map((x) => x.used)).toEqual([29, 29]);
    expect(after.totals).toMatchObject({ confirmed: 2, high: 58, low: 0 });
    for (const row of proposalRows(after)) expect(row.lock?.id).toBe(truth.get(row.unit.id));
    expectOneToOne(after);
  });

  it('learns a number offset (floor prefixes) from two pairs', () => {
    const units = Array.from({ length: 40 }, (_, i) => mk(`A-${i + 1}`));
    const locks = Array.from({ length: 40 }, (_, i) => lk(`A-${101 + i}`));
    expect(proposeMapping({ locationId: 'x', units, locks }).totals.high).toBe(0);
    const after = proposeMapping({
      locationId: 'x',
      units,
      locks,
      corrections: [
        { unitId: units[0]!.id, lockId: locks[0]!.id },
        { unitId: units[9]!.id, lockId: locks[9]!.id },
      ],
    });
    expect(after.rules.map((x) => x.description)).toEqual(['Lock numbers are the unit numbers plus 100.']);
    expect(after.totals).toMatchObject({ confirmed: 2, high: 38 });
    proposalRows(after).forEach((row) => expect(row.lock?.title).toBe(`A-${Number(row.unit.name.slice(2)) + 100}`));
  });

  it('says which code the titles carry before the unit name, and reads titles without it', () => {
    const units = Array.from({ length: 12 }, (_, i) => mk(`C-${i + 1}`));
    const locks = units.map((u, i) => lk(`${i % 2 ? 'H7' : 'K3'} ${u.name}`));
    const after = proposeMapping({ locationId: 'x', units, locks, corrections: [{ unitId: units[0]!.id, lockId: locks[0]!.id }] });
    expect(after.rules[0]).toMatchObject({ source: 'corrections', rule: { kind: 'code_before', shape: 'ln', code: null, examples: ['K3'] }, used: 11 });
    expect(after.rules[0]!.description).toBe('Lock titles carry the unit name after a code such as “K3”.');
    // Read without the code, "H7 C-7" is exactly "C-7".
    expect(proposalRows(after).filter((x) => x.confidence === 'high').every((x) => x.score === 1)).toBe(true);
  });

  it('finds a code most titles share without any correction', () => {
    const site = generateSite('building prefix', 200, { seed: 3 });
    const p = proposeMapping({ locationId: 'x', units: site.units, locks: site.locks });
    expect(p.rules.map((x) => [x.source, x.description])).toContainEqual(['site', 'Lock titles carry the unit name after a code such as “B2”.']);
  });

  it('takes skipped units out and never gives a corrected lock to another unit', () => {
    const units = [mk('A-1'), mk('A-2'), mk('A-3')];
    const locks = [lk('A1'), lk('A2'), lk('A3')];
    const p = proposeMapping({
      locationId: 'x',
      units,
      locks,
      corrections: [
        { unitId: units[0]!.id, lockId: null },
        { unitId: units[1]!.id, lockId: locks[0]!.id },
      ],
    });
    const byName = new Map(proposalRows(p).map((x) => [x.unit.name, x]));
    expect(byName.get('A-1')).toMatchObject({ lock: null, confidence: 'confirmed', reason: 'skipped' });
    expect(byName.get('A-2')).toMatchObject({ lock: { id: locks[0]!.id }, confidence: 'confirmed' });
    expect(byName.get('A-3')).toMatchObject({ lock: { id: locks[2]!.id }, confidence: 'high' });
    expect(p.totals.locksLeft).toBe(1);
    expectOneToOne(p);
    // Corrections naming unknown units or locks change nothing.
    const q = proposeMapping({ locationId: 'x', units, locks, corrections: [{ unitId: 'nope', lockId: locks[0]!.id }, { unitId: units[2]!.id, lockId: 'gone' }] });
    expect(q.totals).toMatchObject({ confirmed: 0, high: 3 });
  });

  it('downloads confirmed, high and medium rows as the mapping file plus confidence', () => {
    const units = [mk('A-1'), mk('A-2'), mk('B-7')];
    const locks = [lk('A1'), lk('A2'), lk('A2 spare')];
    const p = proposeMapping({ locationId: 'x', units, locks, corrections: [{ unitId: units[1]!.id, lockId: locks[1]!.id }] });
    expect(proposalFileRows(p)).toEqual([
      [locks[1]!.id, 'A-2', 'confirmed'],
      [locks[0]!.id, 'A-1', 'high'],
    ]);
  });
});

describe('describeRule', () => {
  it('words every kind of rule', () => {
    expect(describeRule({ kind: 'code_after', shape: 'l', code: ['nord'], examples: ['NORD'] })).toBe('Lock titles carry the unit name before a code such as “NORD”.');
    expect(describeRule({ kind: 'number_offset', offset: -10 })).toBe('Lock numbers are the unit numbers minus 10.');
  });
});
