/**
 * The sync API in its own process for bench/api-load.ts, so the load generator does not share
 * its event loop. A fresh database (in-memory PGlite, or the PostgreSQL database named by
 * DATABASE_URL, already created by the caller) seeded with one organization, 1,000 locks,
 * 1,000 units and 500 mappings (unit i ↔ lock i). Prints one JSON line `{"url","token"}` once
 * it listens; stops on SIGTERM.
 */
// First: extends zod with `.openapi()` before any module creates a schema.
import '@hono/zod-openapi';
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { stableUuid } from '../sandbox/demo-data.ts';
import { createApp } from '../server/app.ts';
import { createApiToken, createOrganization } from '../server/auth.ts';
import { openDatabase, type Database } from '../server/db/client.ts';
import { locks, mappings, units } from '../server/db/schema/index.ts';

export const LOAD_UNITS = 1000;
export const MAPPED_UNITS = 500;
export const loadLockId = (i: number) => stableUuid(`api-load-lock:${i}`);
export const loadUnitId = (i: number) => `L${i}`;

export type LoadRequest = { method: 'GET' | 'PUT'; path: string; body?: string };

/**
 * The request sequences of the at-rate scenarios. Each PUT moves a unit to its other lock, so
 * every one really writes; after 2 × MAPPED_UNITS of them the mappings are back as seeded.
 */
export function loadScenarios() {
  const moves = new Array<number>(MAPPED_UNITS).fill(0);
  let k = 0;
  return {
    health: ['GET /health', (): LoadRequest => ({ method: 'GET', path: '/health' })],
    readLocks: ['GET /v1/locks?limit=50', (): LoadRequest => ({ method: 'GET', path: `/v1/locks?limit=50&offset=${(k++ * 50) % LOAD_UNITS}` })],
    putMapping: [
      'PUT /v1/units/{id}/mapping',
      (): LoadRequest => {
        const unit = k++ % MAPPED_UNITS;
        const lock = moves[unit]!++ % 2 === 0 ? unit + MAPPED_UNITS : unit;
        return { method: 'PUT', path: `/v1/units/${loadUnitId(unit)}/mapping`, body: JSON.stringify({ lockId: loadLockId(lock), replace: true }) };
      },
    ],
  } satisfies Record<string, [string, () => LoadRequest]>;
}

/** Seeds `database` (fresh) for the load scenarios; returns the organization's API token. */
export async function seedLoadDatabase(database: Database): Promise<string> {
  const org = await createOrganization(database.db, 'Load test storage');
  const { token } = await createApiToken(database.db, org.id, 'load');
  const ids = Array.from({ length: LOAD_UNITS }, (_, i) => i);
  await database.db.insert(locks).values(ids.map((i) => ({ organizationId: org.id, id: loadLockId(i), title: `Door ${String(i).padStart(4, '0')}`, source: 'tapkey' as const })));
  const unitRows = await database.db
    .insert(units)
    .values(ids.map((i) => ({ organizationId: org.id, externalId: loadUnitId(i), name: `Unit ${String(i).padStart(4, '0')}` })))
    .returning({ id: units.id });
  await database.db.insert(mappings).values(ids.slice(0, MAPPED_UNITS).map((i) => ({ organizationId: org.id, unitId: unitRows[i]!.id, lockId: loadLockId(i) })));
  return token;
}

async function main() {
  const url = process.env.DATABASE_URL;
  const database = await openDatabase(url ? { url } : { dataDir: 'memory://' });
  const token = await seedLoadDatabase(database);

  const app = createApp({ database, secretKey: randomBytes(32), version: 'bench' });
  const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' });
  await new Promise((r) => server.once('listening', r));
  process.stdout.write(JSON.stringify({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, token, database: database.kind }) + '\n');
  process.on('SIGTERM', () => {
    server.close();
    (server as unknown as { closeAllConnections(): void }).closeAllConnections();
    void database.close().then(() => process.exit(0));
  });
}

if (process.argv[1] === import.meta.filename) await main();
