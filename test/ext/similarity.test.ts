import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { nameSimilarity, nameTokens, rankByName } from '../../lib/similarity.ts';
import { demoLocks, demoUnits } from '../../sandbox/demo-data.ts';

describe('nameTokens', () => {
  it.each([
    ['Unit A-12', ['a', '12']],
    ['A12 door', ['a', '12']],
    ['Storage A 012', ['a', '12']],
    ['Tür B-3', ['b', '3']],
    ['Porte Entrée-Nord', ['entree', 'nord']],
    ['Door', ['door']],
    ['', []],
  ])('%s → %j', (name, tokens) => {
    expect(nameTokens(name)).toEqual(tokens);
  });
});

describe('nameSimilarity', () => {
  it('treats the portal and manager spellings of one unit as equal', () => {
    expect(nameSimilarity('Unit A-12', 'A12 door')).toBe(1);
    expect(nameSimilarity('A-01', 'Storage A-1')).toBe(1);
  });

  it('keeps other numbers and other blocks well below the same unit', () => {
    const same = nameSimilarity('A-12', 'A12 door');
    expect(nameSimilarity('A-13', 'A12 door')).toBeLessThan(0.6);
    expect(nameSimilarity('B-12', 'A12 door')).toBeLessThan(0.6);
    expect(nameSimilarity('A-30', 'Storage A-03')).toBeLessThan(0.6);
    expect(same).toBeGreaterThan(nameSimilarity('A-13', 'A12 door'));
  });

  it('scores unrelated names zero and partial matches in between', () => {
    expect(nameSimilarity('Main entrance', 'A-01')).toBe(0);
    const partial = nameSimilarity('Garage 5', 'Garage 05 north');
    expect(partial).toBeGreaterThan(0.6);
    expect(partial).toBeLessThan(1);
  });

  it('is symmetric and bounded for any names', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 30 }), fc.string({ maxLength: 30 }), (a, b) => {
        const s = nameSimilarity(a, b);
        expect(s).toBeGreaterThanOrEqual(0);
        expect(s).toBeLessThanOrEqual(1);
        expect(nameSimilarity(b, a)).toBe(s);
      }),
    );
  });
});

describe('rankByName', () => {
  const units = demoUnits();

  it('puts the unit a demo lock belongs to first, for every unit lock', () => {
    const locks = demoLocks(units);
    units.forEach((unit, i) => {
      const ranked = rankByName(locks[i]!.title, units);
      expect(ranked[0]?.item.name, locks[i]!.title).toBe(unit.name);
      expect(ranked[0]?.score).toBe(1);
    });
  });

  it('suggests nothing for shared doors', () => {
    expect(rankByName('Main entrance', units)).toEqual([]);
    expect(rankByName('Loading bay', units)).toEqual([]);
  });

  it('orders by score, then by name naturally, and honours limit and min', () => {
    const items = [{ name: 'Garage 10' }, { name: 'Garage 2' }, { name: 'Garage 5 north' }, { name: 'Shed' }];
    const ranked = rankByName('Garage', items, { limit: 10, min: 0.1 });
    expect(ranked.map((r) => r.item.name)).toEqual(['Garage 2', 'Garage 10', 'Garage 5 north']);
    expect(ranked.every((r, i) => i === 0 || ranked[i - 1]!.score >= r.score)).toBe(true);
    expect(rankByName('Garage', items, { limit: 1, min: 0.1 })).toHaveLength(1);
  });
});
