/**
 * Bulk mapping file benchmark: an organization with N units and N locks, an N-row XLSX mapping
 * file, then through the real API over HTTP: dry run, import (one transaction), XLSX and CSV
 * export, and a dry run of the exported file (all rows unchanged). Also times reading the file
 * alone, to tell parsing from database work. A one-row import first starts the server's parse
 * worker (timed on its own as `workerStart`): a running server keeps its worker, so the figures
 * are those of every import but the first after a start. CPU milliseconds (this process and its
 * worker threads) sit beside the wall-clock ones: on a shared machine they are the steadier.
 *
 *   npx tsx bench/bulk-import.ts [--rows 10000] [--database postgres://…]
 */
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { serve } from '@hono/node-server';
import ExcelJS from 'exceljs';
import { FILE_CONTENT_TYPES, MAPPING_FILE_HEADERS, type ImportReport } from '../lib/mapping-file.ts';
import { stableUuid } from '../sandbox/demo-data.ts';
import { createApp } from '../server/app.ts';
import { createApiToken, createOrganization } from '../server/auth.ts';
import { readTable } from '../server/bulk/table-read.ts';
import { openDatabase } from '../server/db/client.ts';
import { locks, units } from '../server/db/schema/index.ts';

export interface BulkBenchOptions {
  rows?: number;
  /** A PostgreSQL URL; default: in-memory PGlite. */
  databaseUrl?: string;
}

export interface BulkBenchFigures {
  rows: number;
  database: 'pglite' | 'postgres';
  fileBytes: number;
  /** Milliseconds. */
  workerStart: number;
  readXlsx: number;
  dryRun: number;
  import: number;
  exportXlsx: number;
  exportCsv: number;
  reimportDryRun: number;
  /** CPU milliseconds of the same steps. */
  cpu: { readXlsx: number; dryRun: number; import: number };
}

const ms = (t0: number) => Math.round(performance.now() - t0);
const cpuMs = (c0: NodeJS.CpuUsage) => {
  const c = process.cpuUsage(c0);
  return Math.round((c.user + c.system) / 1000);
};

export async function runBulkImportBench(opts: BulkBenchOptions = {}): Promise<BulkBenchFigures> {
  const n = opts.rows ?? 10_000;
  const database = await openDatabase(opts.databaseUrl ? { url: opts.databaseUrl } : { dataDir: 'memory://' });
  const org = await createOrganization(database.db, `Bench ${randomBytes(3).toString('hex')}`);
  const { token } = await createApiToken(database.db, org.id, 'bench');
  const app = createApp({ database, secretKey: randomBytes(32), version: 'bench' });
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const auth = { authorization: `Bearer ${token}` };

  try {
    const names = Array.from({ length: n }, (_, i) => `Unit ${String(i).padStart(5, '0')}`);
    const lockIds = names.map((name) => stableUuid(`bench-lock:${name}`));
    for (let i = 0; i < n; i += 1000) {
      await database.db.insert(units).values(names.slice(i, i + 1000).map((name, j) => ({ organizationId: org.id, externalId: `B${i + j}`, name })));
      await database.db.insert(locks).values(lockIds.slice(i, i + 1000).map((id) => ({ organizationId: org.id, id, title: `Door ${id.slice(0, 4)}`, source: 'tapkey' as const })));
    }

    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('Mappings');
    ws.addRow([...MAPPING_FILE_HEADERS]);
    names.forEach((name, i) => ws.addRow([lockIds[i], name]));
    const file = new Uint8Array(await wb.xlsx.writeBuffer());

    let t = performance.now();
    let c = process.cpuUsage();
    await readTable(file, 'xlsx');
    const readXlsx = ms(t);
    const readXlsxCpu = cpuMs(c);

    const post = async (dryRun: boolean, body: Uint8Array, type: string) => {
      const res = await fetch(`${url}/v1/mappings/import?dryRun=${dryRun}`, { method: 'POST', body: body as Uint8Array<ArrayBuffer>, headers: { ...auth, 'content-type': type } });
      const report = (await res.json()) as ImportReport;
      if (res.status !== 200) throw new Error(`import answered ${res.status}: ${JSON.stringify(report).slice(0, 300)}`);
      return report;
    };
    const expectTotals = (r: ImportReport, key: 'create' | 'unchanged') => {
      if (r.totals[key] !== n) throw new Error(`expected ${n} × ${key}, got ${JSON.stringify(r.totals)}`);
    };

    const one = new ExcelJS.Workbook();
    one.addWorksheet('Mappings').addRows([[...MAPPING_FILE_HEADERS], [lockIds[0], names[0]]]);
    t = performance.now();
    await post(true, new Uint8Array(await one.xlsx.writeBuffer()), FILE_CONTENT_TYPES.xlsx);
    const workerStart = ms(t);

    t = performance.now();
    c = process.cpuUsage();
    expectTotals(await post(true, file, FILE_CONTENT_TYPES.xlsx), 'create');
    const dryRun = ms(t);
    const dryRunCpu = cpuMs(c);

    t = performance.now();
    c = process.cpuUsage();
    expectTotals(await post(false, file, FILE_CONTENT_TYPES.xlsx), 'create');
    const importMs = ms(t);
    const importCpu = cpuMs(c);

    const download = async (format: 'xlsx' | 'csv') => new Uint8Array(await (await fetch(`${url}/v1/mappings/export?format=${format}`, { headers: auth })).arrayBuffer());
    t = performance.now();
    const exported = await download('xlsx');
    const exportXlsx = ms(t);
    t = performance.now();
    await download('csv');
    const exportCsv = ms(t);

    t = performance.now();
    expectTotals(await post(true, exported, FILE_CONTENT_TYPES.xlsx), 'unchanged');
    const reimportDryRun = ms(t);

    return {
      rows: n,
      database: database.kind,
      fileBytes: file.length,
      workerStart,
      readXlsx,
      dryRun,
      import: importMs,
      exportXlsx,
      exportCsv,
      reimportDryRun,
      cpu: { readXlsx: readXlsxCpu, dryRun: dryRunCpu, import: importCpu },
    };
  } finally {
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      if ('closeAllConnections' in server) server.closeAllConnections();
    });
    await database.close();
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({ options: { rows: { type: 'string' }, database: { type: 'string' } } });
  const figures = await runBulkImportBench({ rows: values.rows ? Number(values.rows) : undefined, databaseUrl: values.database });
  console.log(JSON.stringify(figures, null, 2));
}
