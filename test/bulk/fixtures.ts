/** Shared set-up for the bulk mapping file tests: seeding, building files, uploading them. */
import ExcelJS from 'exceljs';
import { FILE_CONTENT_TYPES, type ImportReport } from '../../lib/mapping-file.ts';
import { locks, mappings, units } from '../../server/db/schema/index.ts';
import type { TestApi } from '../helpers/api.ts';

export const HEADER = ['Tapkey Lock ID', 'Kinnovis Unit Name'];

export interface SeedUnit {
  externalId: string;
  name: string;
}
export interface SeedLock {
  id: string;
  title: string;
}

const CHUNK = 1000;

/**
 * Units, locks and mappings written straight into the organization's tables: seeding 10,000
 * rows through the API would test the seeding, not the import.
 */
export async function seed(api: TestApi, data: { units?: SeedUnit[]; locks?: SeedLock[]; mappings?: [lockId: string, externalId: string][] }, orgId = api.orgId) {
  const { db } = api.database;
  const unitIds = new Map<string, string>();
  for (let i = 0; i < (data.units?.length ?? 0); i += CHUNK) {
    const rows = await db
      .insert(units)
      .values(data.units!.slice(i, i + CHUNK).map((u) => ({ organizationId: orgId, externalId: u.externalId, name: u.name })))
      .returning({ id: units.id, externalId: units.externalId });
    for (const r of rows) unitIds.set(r.externalId, r.id);
  }
  for (let i = 0; i < (data.locks?.length ?? 0); i += CHUNK)
    await db.insert(locks).values(data.locks!.slice(i, i + CHUNK).map((l) => ({ organizationId: orgId, id: l.id, title: l.title, source: 'tapkey' as const })));
  const pairs = data.mappings ?? [];
  for (let i = 0; i < pairs.length; i += CHUNK)
    await db.insert(mappings).values(pairs.slice(i, i + CHUNK).map(([lockId, externalId]) => ({ organizationId: orgId, lockId, unitId: unitIds.get(externalId)! })));
}

/** Rows → CSV text (RFC 4180 quoting), joined with CRLF. */
export function csvText(rows: string[][], delimiter = ','): string {
  const cell = (c: string) => (/[",;\t\r\n]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c);
  return rows.map((r) => r.map(cell).join(delimiter)).join('\r\n') + '\r\n';
}

export const utf8 = (text: string, bom = false) => new TextEncoder().encode((bom ? '\ufeff' : '') + text);

/** A workbook whose first sheet holds `rows` (cells may be numbers, rich text, formulas …). */
export async function xlsxBytes(rows: ExcelJS.CellValue[][], opts: { before?: string } = {}): Promise<Uint8Array> {
  const wb = new ExcelJS.Workbook();
  if (opts.before) wb.addWorksheet(opts.before).state = 'hidden';
  const ws = wb.addWorksheet('Sheet1');
  rows.forEach((r, i) => {
    const row = ws.getRow(i + 1);
    r.forEach((v, j) => {
      if (v !== null && v !== undefined) row.getCell(j + 1).value = v;
    });
    row.commit();
  });
  return new Uint8Array(await wb.xlsx.writeBuffer());
}

/** Reads a downloaded XLSX back into rows of cell values (first sheet). */
export async function xlsxRows(bytes: ArrayBuffer): Promise<unknown[][]> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(bytes as unknown as ExcelJS.Buffer);
  const out: unknown[][] = [];
  wb.worksheets[0]!.eachRow((row) => out.push((row.values as unknown[]).slice(1)));
  return out;
}

export interface UploadOptions {
  dryRun?: boolean;
  replace?: boolean;
  contentType?: string;
  token?: string;
}

export async function upload(api: TestApi, body: Uint8Array | string, opts: UploadOptions = {}) {
  const q = new URLSearchParams();
  if (opts.dryRun !== undefined) q.set('dryRun', String(opts.dryRun));
  if (opts.replace !== undefined) q.set('replace', String(opts.replace));
  const bytes = typeof body === 'string' ? utf8(body) : body;
  const headers: Record<string, string> = {
    'content-type': opts.contentType ?? (bytes[0] === 0x50 && bytes[1] === 0x4b ? FILE_CONTENT_TYPES.xlsx : FILE_CONTENT_TYPES.csv),
  };
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  const res = await api.fetch(`/v1/mappings/import?${q}`, { method: 'POST', body: bytes as Uint8Array<ArrayBuffer>, headers });
  const json = (await res.json()) as ImportReport & { error?: { code: string; message: string }; fieldErrors?: { path: string; message: string }[]; details?: ImportReport };
  return { status: res.status, body: json };
}

/** The organization's mappings as `[lockId, unit name]`, sorted, via the API. */
export async function currentMappings(api: TestApi, token?: string): Promise<[string, string][]> {
  const out: [string, string][] = [];
  for (let offset = 0; ; offset += 1000) {
    const r = await api.json<{ items: { lockId: string; unit: { name: string } }[]; total: number }>('GET', `/v1/mappings?limit=1000&offset=${offset}`, undefined, token ? { token } : {});
    out.push(...r.body.items.map((m) => [m.lockId, m.unit.name] as [string, string]));
    if (out.length >= r.body.total) break;
  }
  return out.sort((a, b) => a[0].localeCompare(b[0]));
}
