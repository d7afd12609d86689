/**
 * Reads an uploaded CSV or XLSX file into rows of text cells, with the spreadsheet's own row
 * numbers. Tolerates what Excel produces in the wild: a UTF-8 byte-order mark, `;` as the
 * separator (European locales), Windows-1252 or UTF-16 text, quoted fields with line breaks,
 * numbers and rich text in XLSX cells, blank rows. Enforces the row cap while reading.
 */
import type ExcelJS from 'exceljs';
import { loadExcel } from './excel.ts';
import Papa from 'papaparse';
import { MAX_IMPORT_ROWS, type FileFormat } from '../../lib/mapping-file.ts';
import { ApiError } from '../errors.ts';
import { isZip, measureInflated, summarizeZip } from './zip-guard.ts';

export interface TableRow {
  /** 1-based, as a spreadsheet numbers it. */
  row: number;
  cells: string[];
}

export interface Table {
  format: FileFormat;
  /** The first non-blank row, or null for a file without any value. */
  header: TableRow | null;
  /** Rows after the header up to the last non-blank one (blank rows in between included). */
  rows: TableRow[];
}

/** Archive parts of a legitimate 20,000-row two-column workbook inflate to a few MiB. */
const MAX_XLSX_INFLATED_BYTES = 64 * 1024 * 1024;
const MAX_XLSX_PARTS = 200;

/**
 * Cells read in all (empty ones included: a row's cells up to its last value are materialised).
 * A legitimate file has two per row; the budget stops a file of few rows with huge rows, or a
 * row whose only value sits in column XFD, before its cells are built.
 */
export const MAX_IMPORT_CELLS = 10 * (MAX_IMPORT_ROWS + 1);

const cap = MAX_IMPORT_ROWS.toLocaleString('en');
export const tooManyCells = () =>
  new ApiError('payload_too_large', `The file has more than ${MAX_IMPORT_CELLS.toLocaleString('en')} cells; a mapping file needs two columns. Save only those two columns.`);
export const tooManyRows = () =>
  new ApiError('payload_too_large', `The file has more than ${cap} rows after the header; at most ${cap} can be imported at once. Split it into several files.`);

/** XLSX if the bytes are a ZIP archive, else CSV (browsers label CSV files inconsistently). */
export function detectFormat(bytes: Uint8Array): FileFormat {
  return isZip(bytes) ? 'xlsx' : 'csv';
}

export async function readTable(bytes: Uint8Array, format: FileFormat): Promise<Table> {
  return format === 'xlsx' ? readXlsx(bytes) : readCsv(bytes);
}

const isBlank = (cells: string[]) => cells.every((c) => c.trim() === '');

/**
 * Collects rows as they are read: the first non-blank row is the header, blank rows are kept
 * only when a non-blank row follows (trailing ones are formatting, not data), and reading
 * stops with a 413 once a data row lies beyond the cap.
 */
class RowCollector {
  header: TableRow | null = null;
  readonly rows: TableRow[] = [];
  private blanks: number[] = [];
  private cells = 0;

  constructor(private readonly format: FileFormat) {}

  /** Counts `n` cells against the budget before they are built; throws past it. */
  charge(n: number): void {
    this.cells += n;
    if (this.cells > MAX_IMPORT_CELLS) throw tooManyCells();
  }

  add(row: number, cells: string[]): void {
    if (isBlank(cells)) {
      if (this.header && row - this.header.row <= MAX_IMPORT_ROWS) this.blanks.push(row);
      return;
    }
    if (!this.header) {
      this.header = { row, cells };
      return;
    }
    if (row - this.header.row > MAX_IMPORT_ROWS) throw tooManyRows();
    for (const b of this.blanks) this.rows.push({ row: b, cells: [] });
    this.blanks = [];
    this.rows.push({ row, cells });
  }

  /** A gap in row numbers (XLSX skips rows without values) is blank rows. */
  addGapTo(row: number, last: number): void {
    // A row beyond the cap is refused by add() anyway; don't list a million blanks first.
    if (!this.header || row - this.header.row > MAX_IMPORT_ROWS) return;
    for (let r = last + 1; r < row; r++) this.blanks.push(r);
  }

  table(): Table {
    return { format: this.format, header: this.header, rows: this.rows };
  }
}

// ---------- CSV ----------

function decodeText(bytes: Uint8Array): string {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return new TextDecoder('utf-8').decode(bytes.subarray(3));
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le').decode(bytes.subarray(2));
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder('utf-16be').decode(bytes.subarray(2));
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    // Excel's plain "CSV" on Windows is the ANSI code page, not UTF-8.
    return new TextDecoder('windows-1252').decode(bytes);
  }
}

/** The separator of the first non-blank line: whichever of `,` `;` tab occurs most outside quotes. */
export function detectDelimiter(text: string): string {
  const firstLine = text.split(/\r\n|\n|\r/).find((l) => l.trim() !== '') ?? '';
  const counts = new Map<string, number>([[',', 0], [';', 0], ['\t', 0]]);
  let quoted = false;
  for (const ch of firstLine) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && counts.has(ch)) counts.set(ch, counts.get(ch)! + 1);
  }
  let best = ',';
  for (const [d, n] of counts) if (n > counts.get(best)!) best = d;
  return best;
}

/**
 * CSV export protects spreadsheet users from formula injection (OWASP): every field is quoted,
 * and `'` is prefixed to each part of a cell that starts with = + - @ (after any `'`, `"` or
 * space), where
 * parts are separated by whatever a spreadsheet might split on: `,` `;` (German and French
 * Excel), tab, line breaks. A reader that ignores the quotes and splits `B-07;=cmd|…` at `;`
 * still gets a text cell. Import removes exactly one such `'` per part, so an exported file
 * imports to the same names (the prefix only ever goes in front of a part, which splits the
 * same way before and after).
 */
const partSeparator = /([,;\t\r\n])/;
const mapParts = (cell: string, fn: (part: string) => string) => cell.split(partSeparator).map((p, i) => (i % 2 === 1 ? p : fn(p))).join('');
// Quotes and spaces before the sign count too: some readers drop them and then see a formula.
export const escapeFormula = (cell: string) => mapParts(cell, (p) => (/^'*[" ]*[=+\-@]/.test(p) ? `'${p}` : p));
export const unescapeFormula = (cell: string) => mapParts(cell, (p) => (/^'+[" ]*[=+\-@]/.test(p) ? p.slice(1) : p));

function readCsv(bytes: Uint8Array): Table {
  const text = decodeText(bytes);
  const collector = new RowCollector('csv');
  let record = 0;
  let failure: unknown = null;
  Papa.parse<string[]>(text, {
    delimiter: detectDelimiter(text),
    skipEmptyLines: false,
    step: (result, parser) => {
      record++;
      const quoteError = result.errors.find((e) => e.type === 'Quotes');
      try {
        if (quoteError) throw new ApiError('unprocessable', `Row ${record}: a quoted field is not closed (a " is missing).`);
        collector.charge(result.data.length);
        collector.add(record, result.data.map(unescapeFormula));
      } catch (err) {
        failure = err;
        parser.abort();
      }
    },
  });
  if (failure) throw failure;
  return collector.table();
}

// ---------- XLSX ----------

/** A cell's text as the user sees it, whatever type Excel stored. */
export function cellText(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  // A date cell out of Date's range (a hostile serial number) has no ISO text: read as empty.
  if (value instanceof Date) return Number.isFinite(value.getTime()) ? value.toISOString().slice(0, 10) : '';
  if ('richText' in value) return value.richText.map((r) => r.text).join('');
  if ('error' in value) return value.error;
  if ('formula' in value || 'sharedFormula' in value) return cellText((value as ExcelJS.CellFormulaValue).result as ExcelJS.CellValue);
  if ('text' in value) return cellText(value.text as ExcelJS.CellValue);
  return '';
}

async function readXlsx(bytes: Uint8Array): Promise<Table> {
  const zip = summarizeZip(bytes);
  if (!zip) throw new ApiError('unprocessable', 'The file is not a readable XLSX workbook (the ZIP archive is damaged or uses ZIP64).');
  const tooLarge = () => new ApiError('payload_too_large', `The workbook unpacks to more than ${MAX_XLSX_INFLATED_BYTES / 1024 / 1024} MiB; a mapping file needs far less. Save only the two columns.`);
  if (zip.entries > MAX_XLSX_PARTS || zip.uncompressedBytes > MAX_XLSX_INFLATED_BYTES) throw tooLarge();
  const inflated = measureInflated(bytes, zip, MAX_XLSX_INFLATED_BYTES);
  if (inflated === null) throw new ApiError('unprocessable', 'The file is not a readable XLSX workbook (a part of the ZIP archive is damaged).');
  if (inflated > MAX_XLSX_INFLATED_BYTES) throw tooLarge();
  const workbook = new (await loadExcel()).Workbook();
  try {
    await workbook.xlsx.load(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) as unknown as ExcelJS.Buffer);
  } catch {
    throw new ApiError('unprocessable', 'The file is not a readable XLSX workbook. Save it again from Excel as “Excel Workbook (.xlsx)” or as CSV.');
  }
  const sheet = workbook.worksheets.find((ws) => ws.state === 'visible') ?? workbook.worksheets[0];
  const collector = new RowCollector('xlsx');
  if (!sheet) return collector.table();
  let last = 0;
  let failure: unknown = null;
  // eachRow visits rows that hold values, in order; gaps between them are blank rows.
  sheet.eachRow((row, rowNumber) => {
    if (failure) return;
    try {
      collector.addGapTo(rowNumber, last);
      last = rowNumber;
      const values = row.values as ExcelJS.CellValue[];
      collector.charge(Math.max(0, values.length - 1));
      const cells = Array.from({ length: Math.max(0, values.length - 1) }, (_, i) => cellText(values[i + 1]));
      collector.add(rowNumber, cells);
    } catch (err) {
      failure = err;
    }
  });
  if (failure) throw failure;
  return collector.table();
}
