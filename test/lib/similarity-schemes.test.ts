import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compareTokens, nameSimilarity, nameTokens, scoreTokens } from '../../lib/similarity.ts';

const cmp = (unit: string, lock: string) => compareTokens(nameTokens(unit), nameTokens(lock));

describe('compareTokens on real naming schemes', () => {
  it.each([
    ['A-12', 'A12', 'exact', 1],
    ['A-12', 'Unit A 12', 'exact', 1],
    ['A-12', 'Tür A12', 'exact', 1],
    ['A-12', 'A-012', 'exact', 1],
    ['0012', 'Box 12', 'exact', 1],
    ['A-12', 'Box 12 (A)', 'reordered', 0.97],
    ['A-12', 'B2 A-12', 'contained', 0.89],
    ['A-12', 'Haus 2 / A 12', 'contained', 0.89],
  ])('%s ↔ %s: %s', (unit, lock, kind, score) => {
    expect(cmp(unit, lock)).toMatchObject({ kind, score });
  });

  it('never matches another number, however alike the rest', () => {
    for (const lock of ['A-13', 'A-120', 'A-1', 'A 1 2']) expect(cmp('A-12', lock).score).toBeLessThanOrEqual(0.3);
    expect(cmp('A-12', 'A-13').kind).toBe('different_number');
  });

  it('keeps the neighbours of a building code apart: "B2 A12" is A-12’s lock, not A-2’s or B-2’s', () => {
    const right = cmp('A-12', 'B2 A12').score;
    expect(right - cmp('A-2', 'B2 A12').score).toBeGreaterThanOrEqual(0.1);
    expect(cmp('A-2', 'B2 A2').score - cmp('A-2', 'B2 A12').score).toBeGreaterThanOrEqual(0.1);
  });

  it('scores a missing block letter far below the right lock', () => {
    expect(cmp('A-12', 'Box 12').score).toBeLessThan(0.6);
    expect(cmp('A-12', 'B12').score).toBeLessThan(0.6);
  });

  it('reads a typo and a short form at a discount, and says so', () => {
    expect(cmp('Nord A-12', 'Nrod A12')).toMatchObject({ kind: 'partial', approximate: [{ unit: 'nord', lock: 'nrod', how: 'typo' }] });
    const short = cmp('Nord A-12', 'N-A12');
    expect(short.approximate).toEqual([{ unit: 'nord', lock: 'n', how: 'abbreviation' }]);
    expect(short.score).toBeGreaterThan(0.85);
    expect(short.score).toBeLessThan(1);
    expect(cmp('Süd A-12', 'N-A12').score).toBeLessThan(0.6);
  });

  it('lists the evidence: matched parts, and the parts only one side has', () => {
    expect(cmp('A-12', 'B2 A-12 north')).toMatchObject({ matched: ['a', '12'], unitOnly: [], lockOnly: ['b', '2', 'north'] });
    expect(cmp('Keller 12', 'Basement 12')).toMatchObject({ matched: ['12'], unitOnly: ['keller'], lockOnly: ['basement'] });
  });

  it('scoreTokens is compareTokens without the evidence, for any names', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 24 }), fc.string({ maxLength: 24 }), (a, b) => {
        const [ta, tb] = [nameTokens(a), nameTokens(b)];
        const s = scoreTokens(ta, tb);
        expect(s).toBe(compareTokens(ta, tb).score);
        expect(s).toBeGreaterThanOrEqual(0);
        expect(s).toBeLessThanOrEqual(1);
      }),
    );
  });
});

describe('nameSimilarity (the lock picker’s order) on the same schemes', () => {
  it('puts "Box 12 (A)" and "B2 A-12" well above other units', () => {
    expect(nameSimilarity('A-12', 'Box 12 (A)')).toBe(0.97);
    expect(nameSimilarity('A-12', 'B2 A-12')).toBeGreaterThan(0.85);
    expect(nameSimilarity('A-12', 'Box 12 (B)')).toBeLessThan(0.6);
  });
});
