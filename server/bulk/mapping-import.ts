/**
 * Imports a mapping file: checks the header, judges every row against the organization's units,
 * locks and current mappings (create / unchanged / replace / error, with reasons), and — unless
 * it is a dry run — applies all rows in one short transaction or none. The per-row decision and the
 * write are server/mappings.ts, the same as for a single mapping.
 * Over 300 lines: the dry run's saved plan (server/bulk/plan-cache.ts) is only safe with the
 * digest taken and re-checked here, next to the reads it summarises.
 */
import { createHash, randomUUID } from 'node:crypto';
import { and, eq, getTableColumns, sql, type SQL } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';
import type { Mapping } from '../../lib/contract.ts';
import { extractLockId, lockIdSchema } from '../../lib/lock-id.ts';
import { importProblem, MAPPING_FILE_HEADERS, normalizeHeader, OPTIONAL_MAPPING_FILE_HEADERS, type ImportProblem, type ImportReport, type ImportRow } from '../../lib/mapping-file.ts';
import { recordAudit } from '../audit.ts';
import type { Db } from '../db/client.ts';
import { locations, locks, mappings, units } from '../db/schema/index.ts';
import { ApiError } from '../errors.ts';
import { applyMappingChanges, locationInfos, locationMismatch, planMapping, type LocationInfo, type MappingChange } from '../mappings.ts';
import type { DbOrTx } from '../outbox/outbox.ts';
import { selectMappings, toMapping, type LockRow, type UnitRow } from '../resources.ts';
import { PlanCache } from './plan-cache.ts';
import type { Table, TableRow } from './table-read.ts';

export interface ImportOptions {
  organizationId: string;
  actor: string;
  dryRun: boolean;
  /** Move locks and units already mapped elsewhere instead of reporting a conflict. */
  replace: boolean;
  /** Match unit names among this location's units only (names repeat across sites). */
  locationId?: string;
  /** With `replace`: only these rows (spreadsheet row numbers) may move a mapping; others report the conflict. */
  replaceRows?: ReadonlySet<number>;
  /** Recorded in the audit event: where the file came from (e.g. `mapping_proposal`). */
  source?: string;
}

const [LOCK_HEADER, UNIT_HEADER] = MAPPING_FILE_HEADERS;
const quoted = (s: string) => `“${s}”`;

/** Finds the two columns; anything else in the header row is a 422 that says what was found. */
export function mappingColumns(header: TableRow | null): { lock: number; unit: number; ignored: number[] } {
  const expected = `exactly the two headers ${quoted(LOCK_HEADER)} and ${quoted(UNIT_HEADER)}`;
  if (!header) throw new ApiError('unprocessable', `The file is empty. Its first row must hold ${expected}.`);
  const norm = header.cells.map(normalizeHeader);
  const at = (name: string) => norm.flatMap((n, i) => (n === normalizeHeader(name) ? [i] : []));
  const lock = at(LOCK_HEADER);
  const unit = at(UNIT_HEADER);
  const problems: string[] = [];
  for (const [name, cols] of [[LOCK_HEADER, lock], [UNIT_HEADER, unit]] as const) {
    if (cols.length === 0) problems.push(`Missing the column ${quoted(name)}`);
    if (cols.length > 1) problems.push(`The column ${quoted(name)} appears ${cols.length} times`);
  }
  // Columns a download adds for the reader (the proposal's confidence) are read past.
  const optional = new Set(OPTIONAL_MAPPING_FILE_HEADERS.map(normalizeHeader));
  const ignored = norm.flatMap((n, i) => (optional.has(n) && !lock.includes(i) && !unit.includes(i) ? [i] : []));
  const others = header.cells.filter((c, i) => c.trim() !== '' && !lock.includes(i) && !unit.includes(i) && !ignored.includes(i));
  if (others.length) problems.push(`Unexpected column${others.length > 1 ? 's' : ''} ${others.map((c) => quoted(c.trim())).join(', ')}`);
  if (problems.length) {
    const found = header.cells.filter((c) => c.trim() !== '').map((c) => quoted(c.trim())).join(', ');
    throw new ApiError(
      'unprocessable',
      `Row ${header.row} must hold ${expected}; it holds ${found}.`,
      problems.map((message) => ({ path: 'header', message })),
    );
  }
  return { lock: lock[0]!, unit: unit[0]!, ignored };
}

/** A lock ID cell: a UUID (any case, optionally in braces), or a Tapkey portal URL containing one. */
export function lockIdFromCell(cell: string): string | null {
  const t = cell.trim().replace(/^\{(.*)\}$/, '$1');
  const direct = lockIdSchema.safeParse(t);
  if (direct.success) return direct.data;
  return /^https?:\/\//i.test(t) ? extractLockId(t) : null;
}

const fold = (name: string) => name.normalize('NFKC').replace(/\s+/g, ' ').trim().toLowerCase();

interface OrgState {
  byName: Map<string, UnitRow[]>;
  byFoldedName: Map<string, UnitRow[]>;
  locks: Map<string, LockRow>;
  mappingByUnit: Map<string, Mapping>;
  mappingByLock: Map<string, Mapping>;
  locations: Map<string, LocationInfo>;
}

function groupBy<T>(items: T[], key: (t: T) => string): Map<string, T[]> {
  const m = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = m.get(k);
    if (list) list.push(item);
    else m.set(k, [item]);
  }
  return m;
}

/**
 * Every row of `table` matching `where`, as one JSON value: PGlite hands over each field of a
 * result separately, which for the 10,000 units and 10,000 locks of a large organization costs
 * more than the query; one JSON text parsed natively is several times cheaper. The values go
 * through the columns' own mapping, so the rows are those `db.select()` gives.
 */
async function selectAsJson<T extends PgTable>(db: DbOrTx, table: T, where: SQL | undefined): Promise<T['$inferSelect'][]> {
  const result = await db.execute(sql`select coalesce(json_agg(${table}), '[]') as rows from ${table} where ${where}`);
  const [first] = (result as unknown as { rows: { rows: unknown }[] }).rows;
  const raw = (typeof first!.rows === 'string' ? JSON.parse(first!.rows) : first!.rows) as Record<string, unknown>[];
  const columns = Object.entries(getTableColumns(table));
  return raw.map((r) => Object.fromEntries(columns.map(([key, col]) => [key, r[col.name] === null || r[col.name] === undefined ? null : col.mapFromDriverValue(r[col.name])])) as T['$inferSelect']);
}

/** The organization's units (of `locationId` only, if given), locks, mappings and locations. */
async function loadState(db: DbOrTx, organizationId: string, locationId?: string): Promise<OrgState> {
  const unitScope = locationId ? and(eq(units.organizationId, organizationId), eq(units.locationId, locationId)) : eq(units.organizationId, organizationId);
  const unitRows = await selectAsJson(db, units, unitScope);
  const lockRows = await selectAsJson(db, locks, eq(locks.organizationId, organizationId));
  const current = (await selectMappings(db).where(eq(mappings.organizationId, organizationId))).map(toMapping);
  return {
    locations: await locationInfos(db, organizationId),
    byName: groupBy(unitRows, (u) => u.name.trim()),
    byFoldedName: groupBy(unitRows, (u) => fold(u.name)),
    locks: new Map(lockRows.map((l) => [l.id, l])),
    mappingByUnit: new Map(current.map((m) => [m.unitId, m])),
    mappingByLock: new Map(current.map((m) => [m.lockId, m])),
  };
}

type UnitMatch = { unit: UnitRow } | { problem: ImportProblem };

/** By exact (trimmed) name first, then ignoring case and spacing; two candidates is ambiguous. */
function matchUnit(state: OrgState, name: string): UnitMatch {
  for (const candidates of [state.byName.get(name.trim()), state.byFoldedName.get(fold(name))]) {
    if (!candidates?.length) continue;
    if (candidates.length === 1) return { unit: candidates[0]! };
    const units = candidates.map((u) => u.externalId).sort().join(', ');
    return { problem: importProblem('ambiguous_unit', { count: String(candidates.length), name: name.trim(), units }) };
  }
  return { problem: importProblem('unknown_unit', { name: name.trim() }) };
}

interface Judged {
  report: ImportRow;
  change: MappingChange | null;
}

const ref = (u: { externalId: string; name: string }) => ({ externalId: u.externalId, name: u.name });

/** Judges every row. Pure apart from reading `state`. */
function judgeRows(table: Table, cols: { lock: number; unit: number; ignored: number[] }, state: OrgState, replace: boolean, replaceRows?: ReadonlySet<number>): Judged[] {
  const rows = table.rows.map((r) => {
    const lockCell = r.cells[cols.lock] ?? '';
    const unitCell = r.cells[cols.unit] ?? '';
    const problems: ImportProblem[] = [];
    let lock: LockRow | undefined;
    let unit: UnitRow | undefined;
    if (r.cells.every((c) => c.trim() === '')) {
      problems.push(importProblem('empty_row'));
    } else {
      if (r.cells.some((c, i) => i !== cols.lock && i !== cols.unit && !cols.ignored.includes(i) && c.trim() !== ''))
        problems.push(importProblem('extra_cells'));
      if (!lockCell.trim()) problems.push(importProblem('missing_lock_id'));
      else {
        const id = lockIdFromCell(lockCell);
        if (!id) problems.push(importProblem('bad_lock_id', { value: lockCell.trim() }));
        else if (!(lock = state.locks.get(id))) problems.push(importProblem('unknown_lock', { lockId: id }));
      }
      if (!unitCell.trim()) problems.push(importProblem('missing_unit_name'));
      else {
        const m = matchUnit(state, unitCell);
        if ('unit' in m) unit = m.unit;
        else problems.push(m.problem);
      }
    }
    return { r, lockCell, unitCell, lock, unit, problems };
  });

  // A lock maps to one unit and a unit to one lock: every row of a repeated one is an error.
  type Row = (typeof rows)[number];
  const flagRepeats = (key: (x: Row) => string | undefined, code: 'duplicate_lock' | 'duplicate_unit', params: (x: Row) => Record<string, string>) => {
    const groups = groupBy(rows.filter((x) => key(x) !== undefined), (x) => key(x)!);
    for (const group of groups.values()) {
      if (group.length < 2) continue;
      // A few row numbers are enough to find the others; listing thousands would bloat every row.
      const shown = group.slice(0, 5).map((x) => x.r.row).join(', ') + (group.length > 5 ? ', …' : '');
      for (const x of group) x.problems.push(importProblem(code, { ...params(x), count: String(group.length), rows: shown }));
    }
  };
  flagRepeats((x) => x.lock?.id, 'duplicate_lock', (x) => ({ lockId: x.lock!.id }));
  flagRepeats((x) => x.unit?.id, 'duplicate_unit', (x) => ({ unit: `${x.unit!.name} (${x.unit!.externalId})` }));

  return rows.map((x) => {
    const report: ImportRow = {
      row: x.r.row,
      lockId: x.lockCell,
      unitName: x.unitCell,
      action: 'error',
      unit: x.unit ? ref(x.unit) : null,
      lockWasMappedTo: null,
      unitWasMappedTo: null,
      problems: x.problems,
    };
    if (x.problems.length || !x.unit || !x.lock) return { report, change: null };
    const mismatch = locationMismatch(x.unit, x.lock, (id) => state.locations.get(id));
    if (mismatch)
      return {
        report: { ...report, problems: [importProblem('other_location', { lockId: x.lock.id, unit: `${x.unit.name} (${x.unit.externalId})`, lockLocation: mismatch.lockLocation, unitLocation: mismatch.unitLocation })] },
        change: null,
      };
    const current = [state.mappingByUnit.get(x.unit.id), state.mappingByLock.get(x.lock.id)].filter((m): m is Mapping => !!m);
    const plan = planMapping(current, x.unit, x.lock, replace && (!replaceRows || replaceRows.has(x.r.row)));
    if (plan.action === 'unchanged') return { report: { ...report, action: 'unchanged' }, change: null };
    report.lockWasMappedTo = plan.lockMappedTo ? ref(plan.lockMappedTo.unit) : null;
    report.unitWasMappedTo = plan.unitMappedTo?.lockId ?? null;
    if (plan.action === 'conflict') {
      const params = {
        lockId: x.lock.id,
        unit: `${x.unit.name} (${x.unit.externalId})`,
        lockMappedTo: plan.lockMappedTo ? `${plan.lockMappedTo.unit.name} (${plan.lockMappedTo.unit.externalId})` : '',
        unitMappedTo: plan.unitMappedTo ? plan.unitMappedTo.lock.title || plan.unitMappedTo.lockId : '',
      };
      return { report: { ...report, problems: [importProblem('conflict', params)] }, change: null };
    }
    return { report: { ...report, action: plan.action }, change: plan };
  });
}

function buildReport(table: Table, judged: Judged[], opts: ImportOptions, applied: boolean, importId: string | null): ImportReport {
  const count = (a: ImportRow['action']) => judged.filter((j) => j.report.action === a).length;
  return {
    format: table.format,
    dryRun: opts.dryRun,
    replace: opts.replace,
    applied,
    importId,
    totals: { rows: judged.length, create: count('create'), unchanged: count('unchanged'), replace: count('replace'), error: count('error') },
    rows: judged.map((j) => j.report),
  };
}

/**
 * A digest of everything a judgment reads: the organization's units, locks, mappings and
 * locations, every column. Equal digests mean a judgment made earlier still holds. With
 * `lock`, units then locks are row-locked first (the order the single mapping PUT takes them),
 * so nothing it covers changes until the transaction ends.
 */
async function stateDigest(db: DbOrTx, organizationId: string, lock: boolean): Promise<string> {
  const forUpdate = lock ? sql`for update` : sql``;
  const result = await db.execute(sql`
    select md5(concat_ws('|',
      (select string_agg(u::text, ',' order by u.id) from (select * from ${units} where organization_id = ${organizationId} order by id ${forUpdate}) u),
      (select string_agg(l::text, ',' order by l.id) from (select * from ${locks} where organization_id = ${organizationId} order by id ${forUpdate}) l),
      (select string_agg(m::text, ',' order by m.unit_id) from ${mappings} m where m.organization_id = ${organizationId}),
      (select string_agg(x::text, ',' order by x.id) from ${locations} x where x.organization_id = ${organizationId})
    )) as digest`);
  return (result as unknown as { rows: { digest: string }[] }).rows[0]!.digest;
}

/** A file judged against the organization's data as it was when `digest` was taken. */
interface Plan {
  table: Table;
  cols: ReturnType<typeof mappingColumns>;
  judged: Judged[];
  digest: string;
}

/**
 * Plans of recent dry runs, so that applying the file right after its dry run reads neither the
 * file nor the organization's data again. Keyed by organization, file checksum and options; a
 * plan is only used while the data digest is unchanged (checked again, row-locked, in the write
 * transaction), otherwise the file is judged again.
 */
const planCache = new PlanCache<Plan>();

const planKey = (opts: ImportOptions, sha256: string) =>
  [opts.organizationId, sha256, opts.replace, opts.locationId ?? '', opts.replaceRows ? [...opts.replaceRows].sort((a, b) => a - b).join(',') : '*'].join(':');

/** Lets requests of other organizations run between the steps of an import (PGlite has one connection). */
const yieldToOthers = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Reads the file and, meanwhile, the organization's data in one snapshot; judges every row. */
async function judgeFile(db: Db, read: () => Promise<Table>, opts: ImportOptions): Promise<Plan> {
  const snapshot = db.transaction(
    async (tx) => ({ digest: await stateDigest(tx, opts.organizationId, false), state: await loadState(tx, opts.organizationId, opts.locationId) }),
    { isolationLevel: 'repeatable read', accessMode: 'read only' },
  );
  // Wrong headers are refused before the data is looked at.
  const [table, data] = await Promise.all([read().then((t) => ({ t, cols: mappingColumns(t.header) })), snapshot]);
  await yieldToOthers();
  return { table: table.t, cols: table.cols, judged: judgeRows(table.t, table.cols, data.state, opts.replace, opts.replaceRows), digest: data.digest };
}

function refuseErrors(plan: Pick<Plan, 'table' | 'judged'>, opts: ImportOptions) {
  const errors = plan.judged.filter((j) => j.report.action === 'error').length;
  if (!errors) return;
  throw new ApiError(
    'unprocessable',
    `${errors} of ${plan.judged.length} rows cannot be imported, so nothing was changed. Fix them (see details.rows) and import again.`,
    [],
    buildReport(plan.table, plan.judged, opts, false, null),
  );
}

/**
 * Dry run: the report. Otherwise the judged rows are written in one short transaction, all or
 * none (422 with the report when any row has an error). Reading the file, reading the data and
 * judging happen before it, outside any transaction, so other organizations' requests are not
 * held up behind them; the transaction row-locks the data and checks it is still what was
 * judged (else judges again, locked).
 */
export async function importMappingFile(db: Db, fileBytes: Uint8Array, read: () => Promise<Table>, opts: ImportOptions): Promise<ImportReport> {
  const sha256 = createHash('sha256').update(fileBytes).digest('hex');
  const key = planKey(opts, sha256);
  let plan = planCache.get(key);
  // A remembered plan with errors (or any, for a dry run) must describe today's data.
  if (plan && (opts.dryRun || plan.judged.some((j) => j.report.action === 'error')) && plan.digest !== (await stateDigest(db, opts.organizationId, false))) plan = undefined;
  plan ??= await judgeFile(db, read, opts);
  if (opts.dryRun) {
    planCache.set(key, plan);
    return buildReport(plan.table, plan.judged, opts, false, null);
  }
  planCache.delete(key);
  refuseErrors(plan, opts);
  await yieldToOthers();
  const { table, cols } = plan;
  return db.transaction(async (tx) => {
    let judged = plan.judged;
    if ((await stateDigest(tx, opts.organizationId, true)) !== plan.digest) {
      // The data changed since the file was judged: judge again on the row-locked data.
      judged = judgeRows(table, cols, await loadState(tx, opts.organizationId, opts.locationId), opts.replace, opts.replaceRows);
      refuseErrors({ table, judged }, opts);
    }
    const changes = judged.flatMap((j) => (j.change ? [j.change] : []));
    const importId = randomUUID();
    await applyMappingChanges(tx, opts.organizationId, opts.actor, changes);
    const report = buildReport(table, judged, opts, true, importId);
    await recordAudit(tx, {
      organizationId: opts.organizationId,
      actor: opts.actor,
      action: 'mappings.imported',
      entity: 'mapping_import',
      entityId: importId,
      after: {
        format: table.format,
        replace: opts.replace,
        sha256,
        totals: report.totals,
        ...(opts.locationId ? { locationId: opts.locationId } : {}),
        ...(opts.source ? { source: opts.source } : {}),
      },
    });
    return report;
  });
}

/** The same for a table already read (the mapping proposal builds its file itself). */
export function importMappings(db: Db, table: Table, fileBytes: Uint8Array, opts: ImportOptions): Promise<ImportReport> {
  return importMappingFile(db, fileBytes, async () => table, opts);
}
