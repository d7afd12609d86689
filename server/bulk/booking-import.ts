/**
 * Imports the manager's bookings export (CSV or XLSX, read by server/bulk/table-read.ts) into
 * one location: each row is read with the location's column mapping (remembered; proposed from
 * common headers when there is none), judged, and planned with the same rules as every other
 * intake (server/bookings/write.ts). A dry run only reports; applying writes every row in one
 * transaction, or nothing when any row has an error.
 */
import { and, eq } from 'drizzle-orm';
import {
  bookingFileFields,
  headerGuesses,
  normalizeBookingHeader,
  requiredBookingFileFields,
  type BookingColumns,
  type BookingFileField,
  type BookingImportReport,
  type BookingImportRow,
  type BookingImportSettings,
} from '../../lib/booking-file.ts';
import { bookingStateSchema, emailSchema } from '../../lib/contract.ts';
import { normalizeDate } from '../../lib/dates.ts';
import { recordAudit } from '../audit.ts';
import { applyWrites, ConcurrentCreate, planWrites, type BookingWrite, type WritePlan } from '../bookings/write.ts';
import type { Db } from '../db/client.ts';
import { bookingImportColumns } from '../db/schema/index.ts';
import { ApiError } from '../errors.ts';
import type { DbOrTx } from '../outbox/outbox.ts';
import { unescapeFormula, type Table } from './table-read.ts';

export async function rememberedSettings(db: DbOrTx, organizationId: string, locationId: string): Promise<BookingImportSettings | null> {
  const [row] = await db
    .select()
    .from(bookingImportColumns)
    .where(and(eq(bookingImportColumns.organizationId, organizationId), eq(bookingImportColumns.locationId, locationId)));
  return row ? (row.columns as unknown as BookingImportSettings) : null;
}

export async function rememberSettings(db: DbOrTx, organizationId: string, locationId: string, settings: BookingImportSettings): Promise<void> {
  await db
    .insert(bookingImportColumns)
    .values({ organizationId, locationId, columns: settings as unknown as Record<string, string> })
    .onConflictDoUpdate({ target: bookingImportColumns.locationId, set: { columns: settings as unknown as Record<string, string>, updatedAt: new Date() } });
}

/** A mapping proposed from the header row, or the missing required fields. */
export function guessColumns(headers: string[]): { ok: true; columns: BookingColumns } | { ok: false; missing: BookingFileField[] } {
  const normalized = headers.map(normalizeBookingHeader);
  const taken = new Set<number>();
  const found: Partial<Record<BookingFileField, string>> = {};
  for (const field of bookingFileFields) {
    for (const guess of headerGuesses[field]) {
      const i = normalized.findIndex((h, j) => h === guess && !taken.has(j));
      if (i >= 0) {
        taken.add(i);
        found[field] = headers[i]!.trim();
        break;
      }
    }
  }
  const missing = requiredBookingFileFields.filter((f) => !found[f]);
  return missing.length ? { ok: false, missing } : { ok: true, columns: found as BookingColumns };
}

type Problem = BookingImportRow['problems'][number];

interface ReadRow {
  row: number;
  write: BookingWrite | null;
  externalId: string;
  problems: Problem[];
}

/** Reads every data row into a booking write, or the row's problems (column by column). */
export function readRows(table: Table, settings: BookingImportSettings): ReadRow[] {
  const header = table.header?.cells.map(normalizeBookingHeader) ?? [];
  const index: Partial<Record<BookingFileField, number>> = {};
  const missing: string[] = [];
  for (const [field, name] of Object.entries(settings.columns) as [BookingFileField, string | undefined][]) {
    if (!name) continue;
    const i = header.indexOf(normalizeBookingHeader(name));
    if (i < 0) missing.push(name);
    else index[field] = i;
  }
  if (missing.length)
    throw new ApiError(
      'unprocessable',
      `The file has no column ${missing.map((m) => `"${m}"`).join(', ')}. Its columns: ${(table.header?.cells ?? []).map((c) => `"${c.trim()}"`).join(', ') || 'none'}. Change the column mapping (PUT /v1/locations/{id}/bookings/import-settings).`,
    );
  const labels = new Map(Object.entries(settings.stateLabels).map(([k, v]) => [k.trim().toLowerCase(), v]));
  return table.rows.map((r) => {
    const cell = (f: BookingFileField) => (index[f] === undefined ? '' : unescapeFormula((r.cells[index[f]!] ?? '').trim()));
    const problems: Problem[] = [];
    const col = (f: BookingFileField) => settings.columns[f] ?? null;
    if (r.cells.every((c) => c.trim() === '')) return { row: r.row, write: null, externalId: '', problems: [{ column: null, message: 'Empty row: delete it' }] };
    const text = (f: BookingFileField, required: boolean) => {
      const v = cell(f);
      if (!v) {
        if (required) problems.push({ column: col(f), message: 'Required' });
        return undefined;
      }
      if (v.length > 200) problems.push({ column: col(f), message: 'At most 200 characters' });
      return v;
    };
    const date = (f: BookingFileField, required: boolean) => {
      const v = cell(f);
      if (!v || /^[-–—]$/.test(v)) {
        if (required) problems.push({ column: col(f), message: 'Required' });
        return null;
      }
      const d = normalizeDate(v, settings.dateOrder);
      if (d.ok) return d.value;
      problems.push({ column: col(f), message: d.reason === 'impossible' ? `"${v}" is not a real date` : `"${v}" is not a date` });
      return null;
    };
    const externalId = text('externalId', true) ?? '';
    const unitExternalId = text('unitExternalId', true);
    const moveIn = date('moveIn', true);
    const moveOut = index.moveOut === undefined ? undefined : date('moveOut', false);
    let tenantEmail: string | null | undefined;
    if (index.tenantEmail !== undefined) {
      const v = cell('tenantEmail');
      const parsed = emailSchema.safeParse(v);
      if (!v || /^[-–—]$/.test(v)) tenantEmail = null;
      else if (parsed.success) tenantEmail = parsed.data;
      else problems.push({ column: col('tenantEmail'), message: `"${v}" is not an email address` });
    }
    let tenantPhone: string | null | undefined;
    if (index.tenantPhone !== undefined) {
      const v = cell('tenantPhone');
      if (v.length > 40) problems.push({ column: col('tenantPhone'), message: 'At most 40 characters' });
      else tenantPhone = v || null;
    }
    let state: BookingWrite['state'];
    if (index.state !== undefined && cell('state')) {
      const v = cell('state');
      const s = labels.get(v.toLowerCase()) ?? bookingStateSchema.safeParse(v.toLowerCase()).data;
      if (s) state = s;
      else problems.push({ column: col('state'), message: `Unknown status "${v}": add it to the state labels (${[...labels.keys()].join(', ') || 'none yet'})` });
    }
    let bookedAt: string | undefined;
    if (index.bookedAt !== undefined && cell('bookedAt')) {
      const v = cell('bookedAt');
      const asDate = normalizeDate(v, settings.dateOrder);
      const instant = /\d{1,2}:\d{2}/.test(v) && !Number.isNaN(Date.parse(v)) ? new Date(v) : asDate.ok ? new Date(`${asDate.value}T00:00:00Z`) : null;
      if (instant) bookedAt = instant.toISOString();
      else problems.push({ column: col('bookedAt'), message: `"${v}" is not a date` });
    }
    if (moveIn && moveOut && moveOut < moveIn) problems.push({ column: col('moveOut'), message: 'Move-out must not be before move-in' });
    if (problems.length || !unitExternalId || !moveIn) return { row: r.row, write: null, externalId, problems };
    const write: BookingWrite = {
      externalId,
      unitExternalId,
      moveIn,
      ...(moveOut !== undefined ? { moveOut } : {}),
      ...(tenantEmail !== undefined ? { tenantEmail } : {}),
      ...(tenantPhone !== undefined ? { tenantPhone } : {}),
      ...(state ? { state } : {}),
      ...(bookedAt ? { bookedAt } : {}),
    };
    return { row: r.row, write, externalId, problems };
  });
}

const actionOf: Record<WritePlan['outcome'], BookingImportRow['action']> = { created: 'create', changed: 'change', unchanged: 'unchanged', refused: 'error' };

export interface BookingImportOptions {
  organizationId: string;
  locationId: string;
  actor: string;
  now: Date;
  dryRun: boolean;
  /** The mapping to use (else the remembered one, else guessed from the headers). */
  settings?: BookingImportSettings;
}

/**
 * Judges the file and (not a dry run, no errors) applies it. A refused apply throws 422 with the
 * report in `details` and writes nothing. The mapping used is remembered after an apply.
 */
export async function importBookings(db: Db, table: Table, opts: BookingImportOptions): Promise<BookingImportReport> {
  if (!table.header) throw new ApiError('unprocessable', 'The file is empty: the first row must hold the column headers.');
  const remembered = opts.settings ? null : await rememberedSettings(db, opts.organizationId, opts.locationId);
  let settings = opts.settings ?? remembered;
  if (!settings) {
    const guess = guessColumns(table.header.cells);
    if (!guess.ok)
      throw new ApiError(
        'unprocessable',
        `Cannot tell which column holds ${guess.missing.join(', ')}. Its columns: ${table.header.cells.map((c) => `"${c.trim()}"`).join(', ')}. Set the column mapping with PUT /v1/locations/{id}/bookings/import-settings.`,
      );
    settings = { columns: guess.columns, dateOrder: 'DMY', stateLabels: {} };
  }
  const read = readRows(table, settings);
  const seen = new Map<string, number>();
  for (const r of read) {
    if (!r.write) continue;
    const first = seen.get(r.externalId);
    if (first !== undefined) {
      r.problems.push({ column: settings.columns.externalId, message: `Booking ${r.externalId} is also in row ${first}` });
      r.write = null;
    } else seen.set(r.externalId, r.row);
  }
  const writes = read.filter((r) => r.write).map((r) => r.write!);
  const ctx = { organizationId: opts.organizationId, actor: opts.actor, now: opts.now, source: 'file' as const };

  const judge = async (tx: DbOrTx, lock: boolean) => {
    const plans = await planWrites(tx, writes, { organizationId: opts.organizationId, create: true, locationId: opts.locationId, lock });
    const byId = new Map(plans.map((p) => [p.externalId, p]));
    const rows: BookingImportRow[] = read.map((r) => {
      const p = r.write ? byId.get(r.externalId) : undefined;
      const problems = [...r.problems];
      if (p?.outcome === 'refused') problems.push({ column: p.field ? (settings!.columns[p.field as keyof BookingColumns] ?? null) : null, message: p.message });
      return { row: r.row, externalId: r.externalId, action: problems.length ? 'error' : actionOf[p!.outcome], problems };
    });
    const count = (a: BookingImportRow['action']) => rows.filter((r) => r.action === a).length;
    const report: BookingImportReport = {
      locationId: opts.locationId,
      dryRun: opts.dryRun,
      applied: false,
      settings: settings!,
      remembered: Boolean(remembered),
      total: rows.length,
      create: count('create'),
      change: count('change'),
      unchanged: count('unchanged'),
      errors: count('error'),
      rows,
    };
    return { plans, report };
  };

  if (opts.dryRun) return (await judge(db, false)).report;
  for (let attempt = 0; ; attempt++) {
    try {
      const report = await db.transaction(async (tx) => {
        const { plans, report } = await judge(tx, true);
        if (report.errors > 0) return report;
        await applyWrites(tx, ctx, plans);
        await rememberSettings(tx, opts.organizationId, opts.locationId, settings!);
        await recordAudit(tx, {
          organizationId: opts.organizationId,
          actor: opts.actor,
          action: 'bookings.file_imported',
          entity: 'location',
          entityId: opts.locationId,
          after: { total: report.total, created: report.create, changed: report.change, unchanged: report.unchanged },
        });
        return { ...report, applied: true };
      });
      if (!report.applied)
        throw new ApiError('unprocessable', `${report.errors} of ${report.total} rows have errors: nothing was imported. Fix them and import again.`, [], report);
      return report;
    } catch (err) {
      if (err instanceof ConcurrentCreate && attempt === 0) continue;
      throw err;
    }
  }
}
