/**
 * Bookings intake benchmark, through the real API over HTTP:
 *  - list capture: the demo manager's booking list page with 500 rows, read with the site
 *    profile's list mode (happy-dom parses the served HTML, as the content script reads the
 *    live page) and sent as one batch: time from the page's HTML to the new/changed/unchanged
 *    counts, first capture (500 created) and again (500 unchanged);
 *  - bookings file: a 5,000-row XLSX export, dry run and all-or-nothing apply;
 *  - webhook intake: signed events (one booking each), sequential and 8 concurrent senders.
 *
 *   npx tsx bench/bookings-intake.ts [--rows 500] [--file-rows 5000] [--events 300] [--database postgres://…]
 */
// The API first: it extends zod with `.openapi` before lib/contract.ts builds its schemas.
import { createApp } from '../server/app.ts';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { serve } from '@hono/node-server';
import { Window } from 'happy-dom';
import { readBookingList } from '../lib/site-profile-list.ts';
import { demoManagerProfile } from '../lib/site-profile/index.ts';
import { startManagerSandbox } from '../sandbox/manager/index.ts';
import { createApiToken, createOrganization } from '../server/auth.ts';
import { signHook } from '../server/bookings/hook-signature.ts';
import { writeTable } from '../server/bulk/table-write.ts';
import { openDatabase } from '../server/db/client.ts';
import { units } from '../server/db/schema/index.ts';

export interface BookingsBenchOptions {
  listRows?: number;
  fileRows?: number;
  events?: number;
  /** A PostgreSQL URL; default: in-memory PGlite. */
  databaseUrl?: string;
}

export interface BookingsBenchFigures {
  database: 'pglite' | 'postgres';
  listRows: number;
  /** Milliseconds: reading the page's rows alone, then page HTML → counts (first and second capture). */
  listRead: number;
  captureFirst: number;
  captureAgain: number;
  fileRows: number;
  fileBytes: number;
  fileDryRun: number;
  fileApply: number;
  events: number;
  /** Events per second. */
  webhookSequential: number;
  webhookConcurrent: number;
}

const ms = (t0: number) => Math.round(performance.now() - t0);

export async function runBookingsBench(opts: BookingsBenchOptions = {}): Promise<BookingsBenchFigures> {
  const listRows = opts.listRows ?? 500;
  const fileRows = opts.fileRows ?? 5_000;
  const events = opts.events ?? 300;
  const database = await openDatabase(opts.databaseUrl ? { url: opts.databaseUrl } : { dataDir: 'memory://' });
  const org = await createOrganization(database.db, `Bench ${randomBytes(3).toString('hex')}`);
  const { token } = await createApiToken(database.db, org.id, 'bench');
  const app = createApp({ database, secretKey: randomBytes(32), version: 'bench' });
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const auth = { authorization: `Bearer ${token}` };
  const call = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(url + path, { method, headers: { ...auth, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
    const json = (await res.json()) as any;
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json).slice(0, 300)}`);
    return json;
  };
  // Enough units for every row: the manager world's bookings cover 75% of its units.
  const manager = await startManagerSandbox({ units: Math.ceil((listRows * 4) / 3) + 1 });

  try {
    const location = await call('POST', '/v1/locations', { name: 'Bench site' });
    const unitRows = [
      ...manager.world.units.map((u) => ({ organizationId: org.id, externalId: u.externalId, name: u.name, locationId: location.id })),
      ...Array.from({ length: fileRows }, (_, i) => ({ organizationId: org.id, externalId: `F${i}`, name: `File unit ${i}`, locationId: location.id })),
    ];
    for (let i = 0; i < unitRows.length; i += 1000) await database.db.insert(units).values(unitRows.slice(i, i + 1000));

    // List capture: the page's HTML → rows → one batch → counts.
    const profile = demoManagerProfile(manager.url);
    const pageUrl = `${manager.url}/bookings?perPage=${listRows}`;
    const html = await (await fetch(pageUrl)).text();
    const window = new Window();
    const capture = async () => {
      const t0 = performance.now();
      const doc = new window.DOMParser().parseFromString(html, 'text/html') as unknown as Document;
      const list = readBookingList(doc, pageUrl, [profile])!;
      const read = ms(t0);
      const result = await call('POST', '/v1/bookings/batch', { source: 'list', bookings: list.bookings.map(({ tenantName: _n, state, ...b }) => (state ? { ...b, state } : b)) });
      return { read, total: ms(t0), result, rows: list.bookings.length };
    };
    const first = await capture();
    if (first.rows !== listRows || first.result.created !== listRows) throw new Error(`capture read ${first.rows} rows, created ${first.result.created}`);
    const again = await capture();
    if (again.result.unchanged !== listRows) throw new Error(`second capture: ${JSON.stringify(again.result)}`);

    // Bookings file: dry run, then apply.
    const file = await writeTable(
      'xlsx',
      'Bookings',
      ['Booking ID', 'Unit ID', 'Email', 'Move-in', 'Move-out', 'Status'],
      Array.from({ length: fileRows }, (_, i) => [`FB${i}`, `F${i}`, `file${i}@example.com`, '01.03.2026', i % 10 === 0 ? '31.12.2026' : '', 'active']),
    );
    const upload = async (dryRun: boolean) => {
      const t0 = performance.now();
      const res = await fetch(`${url}/v1/locations/${location.id}/bookings/import?dryRun=${dryRun}`, {
        method: 'POST',
        headers: { ...auth, 'content-type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' },
        body: file as Uint8Array<ArrayBuffer>,
      });
      const report = (await res.json()) as { create: number; errors: number; applied: boolean };
      if (!res.ok || report.errors || report.create !== fileRows) throw new Error(`file import: ${res.status} ${JSON.stringify(report).slice(0, 300)}`);
      return ms(t0);
    };
    const fileDryRun = await upload(true);
    const fileApply = await upload(false);

    // Webhook: signed events, one booking each.
    const { secret } = await call('POST', `/v1/locations/${location.id}/booking-hook/secret`);
    const unitIds = manager.world.units.map((u) => u.externalId);
    const send = async (i: number) => {
      const body = JSON.stringify({ eventId: `evt-${i}`, bookings: [{ externalId: `W${i}`, unitExternalId: unitIds[i % unitIds.length], tenantEmail: `w${i}@example.com`, moveIn: '2026-05-01', state: 'active' }] });
      const ts = String(Math.floor(Date.now() / 1000));
      const res = await fetch(`${url}/v1/hooks/bookings/${location.id}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-accessbridge-timestamp': ts, 'x-accessbridge-signature': signHook(secret, ts, body) },
        body,
      });
      if (res.status !== 200) throw new Error(`webhook ${i}: ${res.status} ${await res.text()}`);
      await res.arrayBuffer();
    };
    let t0 = performance.now();
    for (let i = 0; i < events; i++) await send(i);
    const webhookSequential = Math.round((events / (performance.now() - t0)) * 1000);
    t0 = performance.now();
    let next = events;
    const end = 2 * events;
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        while (next < end) await send(next++);
      }),
    );
    const webhookConcurrent = Math.round((events / (performance.now() - t0)) * 1000);

    return {
      database: opts.databaseUrl ? 'postgres' : 'pglite',
      listRows,
      listRead: first.read,
      captureFirst: first.total,
      captureAgain: again.total,
      fileRows,
      fileBytes: file.byteLength,
      fileDryRun,
      fileApply,
      events,
      webhookSequential,
      webhookConcurrent,
    };
  } finally {
    await manager.close();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await database.close();
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({ options: { rows: { type: 'string' }, 'file-rows': { type: 'string' }, events: { type: 'string' }, database: { type: 'string' } } });
  const figures = await runBookingsBench({
    listRows: values.rows ? Number(values.rows) : undefined,
    fileRows: values['file-rows'] ? Number(values['file-rows']) : undefined,
    events: values.events ? Number(values.events) : undefined,
    databaseUrl: values.database ?? process.env.DATABASE_URL,
  });
  console.log(JSON.stringify(figures, null, 2));
}
