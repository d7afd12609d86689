/**
 * Seeds a large Tapkey world straight into the database (organization, token, connected
 * location, the sandbox's locks, units mapped to them, one active booking per unit), for the
 * multi-process and kill tests and the benchmark, where thousands of HTTP calls would only
 * measure the setup. The sync run under test then goes through the API as usual.
 */
import type { Db } from '../../server/db/client.ts';
import { bookings, locations, locks, mappings, units } from '../../server/db/schema/index.ts';
import { createApiToken, createOrganization } from '../../server/auth.ts';
import { encryptSecret } from '../../server/secrets.ts';
import { demoUnits } from '../../sandbox/demo-data.ts';
import { SANDBOX_CLIENT_ID, SANDBOX_CLIENT_SECRET, SANDBOX_OWNER_ID } from '../../sandbox/tapkey-api/index.ts';
import { lockOfUnit } from './helpers.ts';

export interface SeededWorld {
  organizationId: string;
  token: string;
  locationId: string;
  /** What must exist in Tapkey after a full sync: one active grant per (email, lock). */
  expected: { bookingExternalId: string; email: string; lockId: string }[];
}

const chunks = <T>(items: T[], size = 500) => Array.from({ length: Math.ceil(items.length / size) }, (_, i) => items.slice(i * size, (i + 1) * size));

export async function seedTapkeyWorld(db: Db, opts: { bookings: number; secretKey: Buffer; syncMode?: 'full' | 'gradual' }): Promise<SeededWorld> {
  const org = await createOrganization(db, 'Seeded storage');
  const { token } = await createApiToken(db, org.id, 'seed');
  const [location] = await db
    .insert(locations)
    .values({
      organizationId: org.id,
      name: 'Seeded site',
      timeZone: 'Europe/Berlin',
      tapkey: { clientId: SANDBOX_CLIENT_ID, ownerAccountId: SANDBOX_OWNER_ID, syncMode: opts.syncMode ?? 'full', accessTrigger: 'booking_creation' },
      tapkeySecret: encryptSecret(opts.secretKey, SANDBOX_CLIENT_SECRET),
    })
    .returning();
  const unitList = demoUnits(opts.bookings);
  const lockRows = unitList.map((u) => ({ organizationId: org.id, id: lockOfUnit(u), title: `Unit ${u.name}`, source: 'tapkey' as const, locationId: location!.id, active: true }));
  for (const part of chunks(lockRows)) await db.insert(locks).values(part);
  const unitIds: string[] = [];
  for (const part of chunks(unitList)) {
    const rows = await db
      .insert(units)
      .values(part.map((u) => ({ organizationId: org.id, externalId: u.externalId, name: u.name, locationId: location!.id })))
      .returning({ id: units.id });
    unitIds.push(...rows.map((r) => r.id));
  }
  for (const part of chunks(unitList.map((u, i) => ({ organizationId: org.id, unitId: unitIds[i]!, lockId: lockOfUnit(u) }))))
    await db.insert(mappings).values(part);
  const expected = unitList.map((u, i) => ({ bookingExternalId: `B${100000 + i}`, email: `tenant${i}@example.com`, lockId: lockOfUnit(u) }));
  for (const part of chunks(expected.map((e, i) => ({ ...e, i }))))
    await db.insert(bookings).values(
      part.map((e) => ({
        organizationId: org.id,
        externalId: e.bookingExternalId,
        unitId: unitIds[e.i]!,
        tenantEmail: e.email,
        moveIn: '2026-01-01',
        state: 'active' as const,
        syncEnabled: true,
      })),
    );
  return { organizationId: org.id, token, locationId: location!.id, expected };
}
