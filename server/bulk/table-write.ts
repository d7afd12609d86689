/**
 * Writes a header and rows of text as CSV or XLSX. CSV: UTF-8 with a byte-order mark (so Excel
 * shows ü and é), comma-separated, CRLF, every field quoted (so a `;` or tab in a cell never
 * splits it, whatever the reader's list separator), formula-looking parts of a cell prefixed
 * with `'` (table-read.ts, `escapeFormula`). XLSX: one
 * sheet, every cell a string (never a formula), written with the streaming writer.
 */
import { PassThrough } from 'node:stream';
import type ExcelJS from 'exceljs';
import { loadExcel } from './excel.ts';
import Papa from 'papaparse';
import type { FileFormat } from '../../lib/mapping-file.ts';
import { escapeFormula } from './table-read.ts';

export async function writeTable(format: FileFormat, sheetName: string, header: readonly string[], rows: string[][]): Promise<Uint8Array> {
  return format === 'xlsx' ? writeXlsx(sheetName, header, rows) : writeCsv(header, rows);
}

export function writeCsv(header: readonly string[], rows: string[][]): Uint8Array {
  const text = Papa.unparse([header as string[], ...rows.map((r) => r.map(escapeFormula))], { newline: '\r\n', quotes: true });
  return new TextEncoder().encode(`\ufeff${text}\r\n`);
}

export async function writeXlsx(sheetName: string, header: readonly string[], rows: string[][]): Promise<Uint8Array> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<void>((resolve, reject) => {
    out.on('end', resolve);
    out.on('error', reject);
  });
  // Inline strings (no shared-string table) keep the writer streaming and the file readable everywhere.
  const workbook = new (await loadExcel()).stream.xlsx.WorkbookWriter({ stream: out, useSharedStrings: false, useStyles: true });
  const sheet = workbook.addWorksheet(sheetName, { views: [{ state: 'frozen', ySplit: 1 }] });
  // Wide enough for the longest of the first rows (a lock ID needs ~38), but never huge.
  const width = (i: number) => Math.min(60, Math.max(12, header[i]!.length, ...rows.slice(0, 500).map((r) => r[i]?.length ?? 0)) + 2);
  sheet.columns = header.map((h, i) => ({ header: h, key: h, width: width(i) }));
  sheet.getRow(1).font = { bold: true };
  sheet.getRow(1).commit();
  // An empty value is an empty cell, not a cell holding an empty string.
  for (const r of rows) sheet.addRow(r.map((v) => (v === '' ? null : v))).commit();
  sheet.commit();
  await workbook.commit();
  await done;
  return Buffer.concat(chunks);
}
