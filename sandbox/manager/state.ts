/**
 * The demo manager's in-memory world, seeded from sandbox/demo-data.ts so its units and
 * bookings are the ones the fake Tapkey and Keycafe know. Edits made on its pages (the
 * "General" card's pencil) live until the sandbox stops.
 */
import { demoBookings, demoUnits, type DemoBooking, type DemoUnit } from '../demo-data.ts';

export interface ManagerLocation {
  id: string;
  name: string;
  timeZone: string;
  languages: string[];
}

export interface ManagerUnit extends DemoUnit {
  locationId: string;
  /** What an admin typed into "Access Permissions" (a Tapkey lock ID), or empty. */
  accessPermissions: string;
}

export type ManagerBooking = DemoBooking;

export interface ManagerWorldOptions {
  /** Number of demo units (default 48, as everywhere in the sandbox). */
  units?: number;
  /** Adds a unit and a booking whose texts are HTML/script, for security tests. */
  hostile?: boolean;
}

export const HOSTILE_UNIT_ID = 'U9999';
export const HOSTILE_BOOKING_ID = 'B9999';
export const HOSTILE_UNIT_NAME = '<img src=x onerror=alert(1)>';
export const HOSTILE_TENANT_NAME = '<script>alert("tenant")</script>';

export class ManagerWorld {
  readonly locations: ManagerLocation[] = [{ id: 'L1', name: 'Berlin Mitte', timeZone: 'Europe/Berlin', languages: ['German', 'English'] }];
  readonly units: ManagerUnit[];
  readonly bookings: ManagerBooking[];

  constructor(opts: ManagerWorldOptions = {}) {
    const units = demoUnits(opts.units ?? 48);
    this.units = units.map((u) => ({ ...u, locationId: 'L1', accessPermissions: '' }));
    this.bookings = demoBookings(units);
    if (opts.hostile) {
      this.units.push({ externalId: HOSTILE_UNIT_ID, name: HOSTILE_UNIT_NAME, size: '1 m²', locationId: 'L1', accessPermissions: '' });
      this.bookings.push({
        externalId: HOSTILE_BOOKING_ID,
        unitExternalId: HOSTILE_UNIT_ID,
        tenantName: HOSTILE_TENANT_NAME,
        tenantEmail: 'hostile.tenant@example.com',
        tenantPhone: '+49 151 0000000',
        moveIn: '2026-03-01',
        moveOut: null,
        state: 'active',
      });
    }
  }

  unit(externalId: string): ManagerUnit | undefined {
    return this.units.find((u) => u.externalId === externalId);
  }

  booking(externalId: string): ManagerBooking | undefined {
    return this.bookings.find((b) => b.externalId === externalId);
  }

  location(id: string): ManagerLocation | undefined {
    return this.locations.find((l) => l.id === id);
  }

  bookingsOf(unitExternalId: string): ManagerBooking[] {
    return this.bookings.filter((b) => b.unitExternalId === unitExternalId);
  }

  /** Occupied / Reserved / Free, as a unit list shows it. */
  occupancy(unitExternalId: string): 'Occupied' | 'Reserved' | 'Free' {
    const states = this.bookingsOf(unitExternalId).map((b) => b.state);
    if (states.includes('active')) return 'Occupied';
    if (states.includes('reserved')) return 'Reserved';
    return 'Free';
  }

  /** The neighbours in list order, for the unit page's previous/next links. */
  neighbours(externalId: string): { prev?: ManagerUnit; next?: ManagerUnit } {
    const i = this.units.findIndex((u) => u.externalId === externalId);
    return { prev: i > 0 ? this.units[i - 1] : undefined, next: i >= 0 ? this.units[i + 1] : undefined };
  }
}
