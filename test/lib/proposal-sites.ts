/**
 * Generated sites for the mapping proposal: units named the manager's way, locks titled the
 * way admins title them, with the mess of real sites: typos, units without a lock, locks for
 * no unit (shared doors, units the manager no longer has), two locks with one title, the same
 * unit names in two buildings. Seeded, so a failure reproduces.
 */
import type { ProposalLock, ProposalUnit } from '../../lib/mapping-proposal.ts';
import { seededRandom } from '../../sandbox/shared/random.ts';

export interface Site {
  scheme: string;
  units: ProposalUnit[];
  locks: ProposalLock[];
  /** unit id → its lock id, for units that have one. */
  truth: Map<string, string>;
}

const hex = (r: () => number, n: number) => Array.from({ length: n }, () => Math.floor(r() * 16).toString(16)).join('');
export const uuid = (r: () => number) => `${hex(r, 8)}-${hex(r, 4)}-4${hex(r, 3)}-${(8 + Math.floor(r() * 4)).toString(16)}${hex(r, 3)}-${hex(r, 12)}`;

interface Spec {
  /** The units as the manager names them; `key` identifies the unit for its lock title. */
  units: { name: string; key: { building: string; block: string; n: number } }[];
  /** One title for a unit's lock (`pick` chooses among the scheme's styles). */
  title: (key: { building: string; block: string; n: number }, pick: <T>(xs: T[]) => T) => string;
  /** Locks for units that do not exist in the manager. */
  ghost: (pick: <T>(xs: T[]) => T, i: number) => string;
}

const pad = (n: number, w: number) => String(n).padStart(w, '0');
const letters = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ'.split('');
/** A … Z, then AA, AB, …: enough blocks of 50 units for 5,000 units a building. */
const blocks = [...letters, ...letters.flatMap((a) => letters.map((b) => a + b))];

function grid(count: number, buildings: string[], name: (b: string, block: string, n: number) => string) {
  const perBuilding = Math.ceil(count / buildings.length);
  const out: Spec['units'] = [];
  for (const building of buildings)
    for (let i = 0; i < perBuilding && out.length < count; i++) {
      const block = blocks[Math.floor(i / 50)]!;
      const n = (i % 50) + 1;
      out.push({ name: name(building, block, n), key: { building, block, n } });
    }
  return out;
}

export const schemes: Record<string, (count: number) => Spec> = {
  /** "A-12" against "A12", "Unit A-12", "A-012", "Tür A12", "Storage A 12", "a12 door". */
  'mixed styles': (count) => ({
    units: grid(count, [''], (_, b, n) => `${b}-${pad(n, 2)}`),
    title: ({ block, n }, pick) => pick([`${block}${n}`, `Unit ${block}-${n}`, `${block}-${pad(n, 3)}`, `Tür ${block}${n}`, `Storage ${block} ${n}`, `${block.toLowerCase()}${n} door`]),
    ghost: (pick, i) => `${pick(['ZX', 'ZY', 'ZZ'])}-${i + 1}`,
  }),
  /** "A-12" against "Box 12 (A)" and "12A". */
  'number before block': (count) => ({
    units: grid(count, [''], (_, b, n) => `${b}-${n}`),
    title: ({ block, n }, pick) => pick([`Box ${n} (${block})`, `${n}${block}`, `Box ${pad(n, 2)} ${block}`]),
    ghost: (pick, i) => `Box ${i + 1} (${pick(['ZX', 'ZY'])})`,
  }),
  /** "A-12" against "B2 A-12": a building code (whose number is also a unit number) before the name. */
  'building prefix': (count) => ({
    units: grid(count, [''], (_, b, n) => `${b}-${pad(n, 2)}`),
    title: ({ block, n }, pick) => pick([`B2 ${block}-${n}`, `B2-${block}${pad(n, 2)}`, `Haus 2 / ${block} ${n}`]),
    ghost: (pick, i) => `B2 ${pick(['ZX', 'ZY'])}-${i + 1}`,
  }),
  /** "Nord A-12" and "Süd A-12" (the same names in two buildings) against "N-A12", "Süd A 12"…; a few titles omit the building. */
  'two buildings': (count) => ({
    units: grid(count, ['Nord', 'Süd'], (b, block, n) => `${b} ${block}-${n}`),
    title: ({ building, block, n }, pick) =>
      // One title in 25 omits the building: it fits both buildings' unit and must be left.
      pick([...Array(6).fill(0).flatMap(() => [`${building[0]}-${block}${n}`, `${building} ${block} ${n}`, `${building}-${block}-${pad(n, 2)}`, `${building[0]} ${block}-${n}`]), `${block}${n}`]),
    ghost: (pick, i) => `${pick(['Nord', 'Süd'])} ${pick(['ZX', 'ZY'])}-${i + 1}`,
  }),
  /** Number-only units "0012" against "Unit 12", "Box 012", "#12". */
  'numbers with leading zeros': (count) => ({
    units: grid(count, [''], (_, b, n) => pad(blocks.indexOf(b) * 50 + n, 4)),
    title: ({ block, n }, pick) => {
      const k = blocks.indexOf(block) * 50 + n;
      return pick([`Unit ${k}`, `Box ${pad(k, 3)}`, `#${k}`, `Door ${pad(k, 4)}`]);
    },
    ghost: (_pick, i) => `Unit ${count + 100 + i}`,
  }),
};

const shared = ['Main entrance', 'Loading bay', 'Elevator lobby', 'Staff room', 'Gate north', 'Bike storage'];

/** A typo an admin makes in a title: a swapped letter in a word, odd spacing or case, a stray dot. */
function typo(title: string, r: () => number): string {
  const kind = Math.floor(r() * 4);
  if (kind === 0) return title.replace(/([A-Za-zäöü])([A-Za-zäöü])([A-Za-zäöü]{2,})/, '$2$1$3');
  if (kind === 1) return `  ${title.replace(/ /g, '  ')} `;
  if (kind === 2) return title.toUpperCase();
  return `${title}.`;
}

export interface NoiseOptions {
  seed?: number;
  missing?: number;
  extra?: number;
  typos?: number;
  digitTypos?: number;
  duplicateTitles?: number;
}

export function generateSite(scheme: string, count = 500, opts: NoiseOptions = {}): Site {
  const { seed = 1, missing = 0.05, extra = 0.05, typos = 0.04, digitTypos = 0.003, duplicateTitles = 0.01 } = opts;
  const r = seededRandom(seed * 7919 + scheme.length);
  const pick = <T,>(xs: T[]) => xs[Math.floor(r() * xs.length)]!;
  const spec = schemes[scheme]!(count);
  const units: ProposalUnit[] = spec.units.map((u, i) => ({ id: uuid(r), externalId: `U${10000 + i}`, name: u.name }));
  const locks: ProposalLock[] = [];
  const truth = new Map<string, string>();
  spec.units.forEach((u, i) => {
    if (r() < missing) return;
    let title = spec.title(u.key, pick);
    if (r() < typos) title = typo(title, r);
    // A wrong digit: the lock now names another unit (it is still this unit's lock).
    if (r() < digitTypos) title = title.replace(/\d(?!.*\d)/, (d) => String((Number(d) + 1) % 10));
    const lock = { id: uuid(r), title };
    locks.push(lock);
    truth.set(units[i]!.id, lock.id);
    if (r() < duplicateTitles) locks.push({ id: uuid(r), title });
  });
  const extras = Math.round(count * extra);
  for (let i = 0; i < extras; i++) locks.push({ id: uuid(r), title: i < shared.length ? shared[i]! : spec.ghost(pick, i) });
  // Listed in no particular order, as an API returns them.
  locks.sort((a, b) => a.id.localeCompare(b.id));
  return { scheme, units, locks, truth };
}
