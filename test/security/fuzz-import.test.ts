/**
 * Property-based fuzzing of the mapping file import (CSV and XLSX) through the real API:
 * random rows built from known and unknown lock ids and unit names (duplicates, conflicts,
 * junk, formula-looking cells, any header order and spelling), random bytes, and damaged
 * workbooks. Whatever the file: never a 5xx; a refused file answers the contract's error body;
 * a dry run writes nothing; an apply is all-or-nothing: either every row it reports is now
 * true in the mappings table, or (any error) the table and the audit log are exactly as before.
 *
 * Time-boxed; FUZZ_RUNS=n and FUZZ_SEED=s reproduce or deepen a run.
 */
import { sql } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorBodySchema } from '../../lib/contract.ts';
import { FILE_CONTENT_TYPES, importReportSchema, type ImportReport } from '../../lib/mapping-file.ts';
import { stableUuid } from '../../sandbox/demo-data.ts';
import { startTestApi, type TestApi } from '../helpers/api.ts';
import { seed } from '../bulk/fixtures.ts';

const RUNS = Number(process.env.FUZZ_RUNS ?? 25);
const SEED = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : undefined;

let api: TestApi;
const UNITS = Array.from({ length: 8 }, (_, i) => ({ externalId: `FZ${i}`, name: i === 7 ? 'Twin' : `Unit ${i}` }));
// Two units share a name, so "ambiguous unit" is reachable.
UNITS.push({ externalId: 'FZ8', name: 'Twin' });
const LOCKS = Array.from({ length: 8 }, (_, i) => ({ id: stableUuid(`fuzz-import-lock:${i}`), title: `Lock ${i}` }));

beforeAll(async () => {
  api = await startTestApi();
  await seed(api, {
    units: UNITS,
    locks: LOCKS,
    mappings: [
      [LOCKS[0]!.id, 'FZ0'],
      [LOCKS[1]!.id, 'FZ1'],
    ],
  });
});
afterAll(() => api?.close());

/** The organization's mappings (lock → unit external id) and its audit log size. */
async function state() {
  const { rows } = (await api.database.db.execute(
    sql`select m.lock_id as lock, u.external_id as unit from mappings m join units u on u.id = m.unit_id where m.organization_id = ${api.orgId} order by m.lock_id`,
  )) as unknown as { rows: { lock: string; unit: string }[] };
  const { rows: audit } = (await api.database.db.execute(sql`select count(*)::int as n from audit_events where organization_id = ${api.orgId}`)) as unknown as {
    rows: { n: number }[];
  };
  return { mappings: rows.map((r) => `${r.lock}→${r.unit}`), audit: audit[0]!.n };
}

const lockCell = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...LOCKS.map((l) => l.id)) },
  { weight: 1, arbitrary: fc.constantFrom(...LOCKS.map((l) => ` ${l.id.toUpperCase()} `)) },
  { weight: 1, arbitrary: fc.uuid() },
  { weight: 1, arbitrary: fc.constantFrom('', 'not-a-uuid', '=HYPERLINK("http://evil")', "'" + LOCKS[2]!.id, '\u0000', 'x'.repeat(300)) },
  { weight: 1, arbitrary: fc.string({ maxLength: 40 }) },
);
const unitCell = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...UNITS.map((u) => u.name)) },
  { weight: 1, arbitrary: fc.constantFrom(...UNITS.map((u) => `  ${u.name.toUpperCase()} `)) },
  { weight: 1, arbitrary: fc.constantFrom('', 'Nobody', '<script>alert(1)</script>', '=1+1', '@SUM(A1)', '\t', '\u0000', 'Ünït 1') },
  { weight: 1, arbitrary: fc.string({ maxLength: 40 }) },
);
const row = fc.oneof(
  { weight: 8, arbitrary: fc.tuple(lockCell, unitCell).map((r) => [...r]) },
  { weight: 1, arbitrary: fc.constant<string[]>([]) },
  { weight: 1, arbitrary: fc.tuple(lockCell, unitCell, fc.string({ maxLength: 10 })).map((r) => [...r]) },
  { weight: 1, arbitrary: fc.array(fc.string({ maxLength: 10 }), { maxLength: 4 }) },
);
const header = fc.oneof(
  { weight: 6, arbitrary: fc.constant<string[]>(['Tapkey Lock ID', 'Kinnovis Unit Name']) },
  { weight: 2, arbitrary: fc.constant<string[]>(['  kinnovis   unit NAME', 'TAPKEY LOCK ID\u200b']) },
  { weight: 1, arbitrary: fc.constantFrom<string[]>(['Lock', 'Unit'], ['Tapkey Lock ID'], ['Tapkey Lock ID', 'Kinnovis Unit Name', 'Extra'], []) },
);

/** Files that should apply: known locks and unit names, each at most once (maybe re-mapping some). */
const cleanRows = fc
  .tuple(fc.shuffledSubarray(LOCKS.map((l) => l.id), { minLength: 1 }), fc.shuffledSubarray(UNITS.slice(0, 7).map((u) => u.name), { minLength: 1 }))
  .map(([locks, names]) => locks.slice(0, names.length).map((id, i) => [id, names[i]!]));

const csvCell = (c: string) => (/[",;\t\r\n]/.test(c) ? `"${c.replaceAll('"', '""')}"` : c);

async function encode(format: 'csv' | 'xlsx', rows: string[][], delimiter: string, bom: boolean): Promise<Uint8Array> {
  if (format === 'csv') return new TextEncoder().encode((bom ? '\ufeff' : '') + rows.map((r) => r.map(csvCell).join(delimiter)).join('\r\n'));
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('Mappings');
  rows.forEach((r, i) => r.forEach((v, j) => (ws.getRow(i + 1).getCell(j + 1).value = v.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, ''))));
  return new Uint8Array(await wb.xlsx.writeBuffer());
}

async function upload(bytes: Uint8Array, contentType: string, dryRun: boolean, replace: boolean) {
  const res = await api.fetch(`/v1/mappings/import?dryRun=${dryRun}&replace=${replace}`, { method: 'POST', headers: { 'content-type': contentType }, body: bytes as Uint8Array<ArrayBuffer> });
  const text = await res.text();
  return { status: res.status, text };
}

/** Applies of at least one row that went through (so the properties test more than refusals). */
let nonEmptyApplies = 0;

/** The invariants every upload must keep, whatever it holds. */
async function expectSafe(bytes: Uint8Array, contentType: string, dryRun: boolean, replace: boolean) {
  const before = await state();
  const { status, text } = await upload(bytes, contentType, dryRun, replace);
  const where = `${contentType} dryRun=${dryRun} replace=${replace} → ${status} ${text.slice(0, 400)}`;
  if (status >= 500) throw new Error(`server error: ${where}`);
  const body = JSON.parse(text);
  const after = await state();
  if (status !== 200) {
    if (!errorBodySchema.safeParse(body).success) throw new Error(`not the contract's error body: ${where}`);
    if (JSON.stringify(after) !== JSON.stringify(before)) throw new Error(`a refused import changed the data: ${where}`);
    // An apply refused for row errors carries the report, which must say why.
    if (status === 422 && body.details) {
      const report = importReportSchema.parse(body.details) as ImportReport;
      if (report.applied || report.totals.error === 0) throw new Error(`422 without row errors: ${where}`);
    }
    return;
  }
  const report = importReportSchema.parse(body) as ImportReport;
  if (dryRun) {
    if (report.applied) throw new Error(`a dry run says applied: ${where}`);
    if (JSON.stringify(after) !== JSON.stringify(before)) throw new Error(`a dry run changed the data: ${where}`);
    return;
  }
  if (report.rows.length === 0 && JSON.stringify(after.mappings) !== JSON.stringify(before.mappings)) throw new Error(`an empty apply changed mappings: ${where}`);
  if (!report.applied || report.totals.error > 0) throw new Error(`200 for an apply that did not apply every row: ${where}`);
  const now = new Set(after.mappings);
  for (const r of report.rows) {
    if (r.action === 'error') throw new Error(`applied with an error row: ${where}`);
    const lock = r.lockId.trim().replace(/^'/, '').toLowerCase();
    if (!now.has(`${lock}→${r.unit!.externalId}`)) throw new Error(`row ${r.row} (${r.action}) is not in the table after the apply: ${where}`);
  }
  if (report.rows.length) nonEmptyApplies++;
  // One-to-one holds after any apply.
  const locks = after.mappings.map((m) => m.split('→')[0]);
  const units = after.mappings.map((m) => m.split('→')[1]);
  if (new Set(locks).size !== locks.length || new Set(units).size !== units.length) throw new Error(`a lock or unit is mapped twice: ${after.mappings.join(', ')}`);
}

const options = { numRuns: RUNS, seed: SEED, interruptAfterTimeLimit: 25_000, endOnFailure: true };

/**
 * Clean files that must apply, run first: the time limit above can stop a loaded machine
 * before random generation reaches one, and the test must still see applies succeed.
 */
const STANDARD_HEADER = ['Tapkey Lock ID', 'Kinnovis Unit Name'];
const cleanExamples: [string[], string[][], 'csv' | 'xlsx', string, boolean, boolean, boolean][] = [
  [STANDARD_HEADER, [[LOCKS[2]!.id, 'Unit 2'], [LOCKS[3]!.id, 'Unit 3']], 'csv', ';', true, false, true],
  [STANDARD_HEADER, [[LOCKS[4]!.id, 'Unit 4']], 'xlsx', ',', false, false, true],
];

describe('mapping file import under fuzzing', () => {
  it('random rows in CSV or XLSX: never a 5xx, dry runs write nothing, applies are all-or-nothing', { timeout: 120_000 }, async () => {
    await fc.assert(
      fc.asyncProperty(
        header,
        fc.oneof(fc.array(row, { maxLength: 12 }), cleanRows),
        fc.constantFrom<'csv' | 'xlsx'>('csv', 'xlsx'),
        fc.constantFrom(',', ';', '\t'),
        fc.boolean(),
        fc.boolean(),
        fc.boolean(),
        async (head, rows, format, delimiter, bom, dryRun, replace) => {
          const bytes = await encode(format, [head, ...rows], delimiter, bom);
          await expectSafe(bytes, FILE_CONTENT_TYPES[format], dryRun, replace);
        },
      ),
      { ...options, examples: cleanExamples },
    );
    // The properties above saw applies succeed, not only refusals.
    expect(nonEmptyApplies).toBeGreaterThan(0);
  });

  it('random bytes with any label: never a 5xx, nothing written', { timeout: 120_000 }, async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(fc.uint8Array({ minLength: 1, maxLength: 2048 }), fc.string({ unit: 'binary', minLength: 1, maxLength: 400 }).map((s) => new TextEncoder().encode(s))),
        fc.constantFrom(FILE_CONTENT_TYPES.csv, FILE_CONTENT_TYPES.xlsx, 'application/octet-stream', 'text/plain'),
        fc.boolean(),
        async (bytes, type, dryRun) => expectSafe(bytes, type, dryRun, false),
      ),
      options,
    );
  });

  it('damaged workbooks (bytes flipped, truncated, ZIP prefix on junk): never a 5xx, nothing written', { timeout: 120_000 }, async () => {
    const good = await encode('xlsx', [['Tapkey Lock ID', 'Kinnovis Unit Name'], [LOCKS[5]!.id, 'Unit 5']], ',', false);
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.nat({ max: good.length - 1 }), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 20 }),
        fc.option(fc.nat({ max: good.length }), { nil: undefined }),
        fc.boolean(),
        async (flips, cut, dryRun) => {
          const bytes = good.slice(0, cut ?? good.length);
          for (const [at, value] of flips) if (at < bytes.length) bytes[at] = value;
          await expectSafe(bytes, FILE_CONTENT_TYPES.xlsx, dryRun, false);
        },
      ),
      options,
    );
  });
});
