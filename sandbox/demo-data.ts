/**
 * The sandbox's one demo world, shared by the fake Tapkey API and portal, the fake Keycafe and
 * the demo manager, so a lock seen on the portal is the same lock the API lists and a unit on
 * the manager is the one the mapping dialog offers. Deterministic: same IDs on every start.
 */
import { createHash } from 'node:crypto';

/** A stable UUID (v4-shaped) derived from a seed string. */
export function stableUuid(seed: string): string {
  const h = createHash('sha256').update(seed).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${((parseInt(h[16]!, 16) & 3) | 8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

export interface DemoUnit {
  externalId: string;
  name: string;
  size: string;
}
export interface DemoLock {
  id: string;
  title: string;
}
export interface DemoBooking {
  externalId: string;
  unitExternalId: string;
  tenantName: string;
  tenantEmail: string | null;
  tenantPhone: string | null;
  moveIn: string;
  moveOut: string | null;
  state: 'reserved' | 'active' | 'ended' | 'cancelled';
}

const sizes = ['1 m²', '2 m²', '3 m²', '5 m²', '7.5 m²', '10 m²', '15 m²'];
const first = ['Anna', 'Lukas', 'Marie', 'Jonas', 'Léa', 'Hugo', 'Emma', 'Paul', 'Sophie', 'Felix', 'Chloé', 'Noah'];
const last = ['Müller', 'Schmidt', 'Dubois', 'Martin', 'Weber', 'Bernard', 'Fischer', 'Moreau', 'Wagner', 'Laurent'];

/** Units A-01 … D-NN across floors, like a self-storage site's unit list. */
export function demoUnits(count = 48): DemoUnit[] {
  return Array.from({ length: count }, (_, i) => {
    const block = String.fromCharCode(65 + Math.floor(i / 12));
    const n = String((i % 12) + 1).padStart(2, '0');
    return { externalId: `U${1000 + i}`, name: `${block}-${n}`, size: sizes[i % sizes.length]! };
  });
}

/**
 * Tapkey locks titled the way admins title them, not the way the manager names units
 * ("Unit A-01" vs "A01 door"), plus the site's shared doors, which map to no unit.
 */
export function demoLocks(units: DemoUnit[] = demoUnits()): DemoLock[] {
  const styles = [(u: string) => `Unit ${u}`, (u: string) => `${u.replace('-', '')} door`, (u: string) => `Storage ${u}`];
  const unitLocks = units.map((u, i) => ({ id: stableUuid(`lock:${u.name}`), title: styles[i % styles.length]!(u.name) }));
  const shared = ['Main entrance', 'Loading bay', 'Elevator lobby'].map((t) => ({ id: stableUuid(`lock:${t}`), title: t }));
  return [...unitLocks, ...shared];
}

/** Bookings for most units: tenants with emails (some missing or odd, as in real data). */
export function demoBookings(units: DemoUnit[] = demoUnits()): DemoBooking[] {
  return units.slice(0, Math.floor(units.length * 0.75)).map((u, i) => {
    const fn = first[i % first.length]!;
    const ln = last[(i * 7) % last.length]!;
    const month = String((i % 12) + 1).padStart(2, '0');
    return {
      externalId: `B${5000 + i}`,
      unitExternalId: u.externalId,
      tenantName: `${fn} ${ln}`,
      tenantEmail: i % 17 === 16 ? null : `${fn}.${ln}`.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase() + `${i}@example.com`,
      tenantPhone: i % 3 === 0 ? `+49 151 ${String(2000000 + i * 7919).slice(0, 7)}` : i % 3 === 1 ? `+33 6 12 ${String(10 + (i % 89)).padStart(2, '0')} 34 56` : null,
      moveIn: `2026-${month}-01`,
      moveOut: i % 5 === 0 ? `2027-${month}-01` : null,
      state: i % 11 === 10 ? 'reserved' : 'active',
    };
  });
}
