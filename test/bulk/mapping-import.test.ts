import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeImportProblem, importReportSchema, type ImportReport } from '../../lib/mapping-file.ts';
import { demoLocks, demoUnits, stableUuid } from '../../sandbox/demo-data.ts';
import { startTestApi, type TestApi } from '../helpers/api.ts';
import { csvText, currentMappings, HEADER, seed, upload } from './fixtures.ts';

let api: TestApi;
const units = demoUnits(48);
const lockOf = (unitName: string) => stableUuid(`lock:${unitName}`);
const UNKNOWN_LOCK = stableUuid('lock:never-captured');

beforeAll(async () => {
  api = await startTestApi();
  await seed(api, {
    units: [...units, { externalId: 'T1', name: 'Twin' }, { externalId: 'T2', name: 'Twin' }],
    locks: demoLocks(units),
    // A-02 and A-03 are mapped already; D-12's lock is mapped to D-11 (to be moved by replace).
    mappings: [
      [lockOf('A-02'), 'U1001'],
      [lockOf('A-03'), 'U1002'],
      [lockOf('D-12'), 'U1046'],
    ],
  });
});
afterAll(async () => {
  await api?.close();
});

const row = (report: ImportReport, n: number) => report.rows.find((r) => r.row === n)!;
const codes = (report: ImportReport, n: number) => row(report, n).problems.map((p) => p.code);

/** Every kind of row the import can meet, one per line (row numbers in comments). */
const everyKind = csvText([
  HEADER, // 1
  [lockOf('A-01'), 'A-01'], // 2 create
  [lockOf('A-02'), 'A-02'], // 3 unchanged
  [lockOf('A-03'), 'A-04'], // 4 conflict: the lock is mapped to A-03
  ['', ''], // 5 empty row
  ['not-a-uuid', 'A-05'], // 6 bad lock id
  [UNKNOWN_LOCK, 'A-06'], // 7 unknown lock
  [lockOf('A-07'), 'Z-99'], // 8 unknown unit
  [lockOf('A-08'), 'Twin'], // 9 ambiguous unit
  [lockOf('A-09'), 'A-09'], // 10 duplicate lock (with 11)
  [lockOf('A-09'), 'A-10'], // 11
  [lockOf('A-11'), 'A-12'], // 12 duplicate unit (with 13)
  [lockOf('A-12'), 'A-12'], // 13
  ['', 'B-03'], // 14 missing lock id
  [lockOf('B-04'), ''], // 15 missing unit name
  [lockOf('B-05'), 'B-05', 'note'], // 16 values outside the two columns
  [lockOf('B-01').toUpperCase(), '  b-01 '], // 17 create: case and spaces tolerated
  [`https://my.tapkey.com/#/owners/x/locks/${lockOf('B-02')}`, 'B-02'], // 18 create: a pasted portal URL
  [lockOf('B-06'), 'B-06'], // 19 create
]);

describe('dry run', () => {
  let report: ImportReport;

  beforeAll(async () => {
    const r = await upload(api, everyKind);
    expect(r.status).toBe(200);
    report = r.body;
  });

  it('reports every row with its action and reasons, in the shared report schema', () => {
    expect(importReportSchema.parse(report)).toEqual(report);
    expect(report).toMatchObject({ format: 'csv', dryRun: true, replace: false, applied: false, importId: null });
    expect(report.totals).toEqual({ rows: 18, create: 4, unchanged: 1, replace: 0, error: 13 });
    expect(report.rows.map((r) => [r.row, r.action])).toEqual([
      [2, 'create'],
      [3, 'unchanged'],
      [4, 'error'],
      [5, 'error'],
      [6, 'error'],
      [7, 'error'],
      [8, 'error'],
      [9, 'error'],
      [10, 'error'],
      [11, 'error'],
      [12, 'error'],
      [13, 'error'],
      [14, 'error'],
      [15, 'error'],
      [16, 'error'],
      [17, 'create'],
      [18, 'create'],
      [19, 'create'],
    ]);
  });

  it('explains each kind of error', () => {
    expect(codes(report, 4)).toEqual(['conflict']);
    expect(row(report, 4).problems[0]!.message).toBe(`Lock ${lockOf('A-03')} is already mapped to unit A-03 (U1002). Import with “replace” to move it.`);
    // The options page says the same in the user's language from code and params.
    expect(describeImportProblem(row(report, 4).problems[0]!, 'de')).toBe(
      `Schloss ${lockOf('A-03')} ist bereits der Einheit A-03 (U1002) zugeordnet. Importieren Sie mit „Ersetzen“, um es zu verschieben.`,
    );
    expect(row(report, 4).lockWasMappedTo).toEqual({ externalId: 'U1002', name: 'A-03' });
    expect(codes(report, 5)).toEqual(['empty_row']);
    expect(row(report, 6).problems).toEqual([
      { code: 'bad_lock_id', message: '“not-a-uuid” is not a Tapkey lock ID (a UUID such as ea610634-4fc0-4084-85b2-bebf52c3595f)', params: { value: 'not-a-uuid' } },
    ]);
    expect(codes(report, 7)).toEqual(['unknown_lock']);
    expect(row(report, 7).problems[0]!.message).toContain(`Lock ${UNKNOWN_LOCK} is not known`);
    expect(row(report, 8).problems[0]!.message).toBe(
      'No unit is named “Z-99”. Open the unit’s page in the manager with AccessBridge once so that it is known',
    );
    expect(row(report, 9).problems).toEqual([
      {
        code: 'ambiguous_unit',
        message: '2 units are named “Twin” (T1, T2); rename one in the manager so each name is unique',
        params: { count: '2', name: 'Twin', units: 'T1, T2' },
      },
    ]);
    expect(codes(report, 10)).toEqual(['duplicate_lock']);
    expect(row(report, 11).problems[0]!.message).toBe(`Lock ${lockOf('A-09')} appears 2 times (rows 10, 11); each lock can be in the file once`);
    expect(codes(report, 12)).toEqual(['duplicate_unit']);
    expect(row(report, 13).problems[0]!.message).toBe('Unit A-12 (U1011) appears 2 times (rows 12, 13); each unit can be in the file once');
    expect(row(report, 14).problems).toEqual([{ code: 'missing_lock_id', message: '“Tapkey Lock ID” is empty', params: {} }]);
    expect(row(report, 15).problems).toEqual([{ code: 'missing_unit_name', message: '“Kinnovis Unit Name” is empty', params: {} }]);
    expect(codes(report, 16)).toEqual(['extra_cells']);
  });

  it('keeps the cells as read and names the matched unit', () => {
    expect(row(report, 17)).toMatchObject({ lockId: lockOf('B-01').toUpperCase(), unitName: '  b-01 ', unit: { externalId: 'U1012', name: 'B-01' }, problems: [] });
    expect(row(report, 3)).toMatchObject({ action: 'unchanged', unit: { externalId: 'U1001', name: 'A-02' } });
  });

  it('writes nothing', async () => {
    expect(await currentMappings(api)).toEqual(
      [
        [lockOf('A-02'), 'A-02'],
        [lockOf('A-03'), 'A-03'],
        [lockOf('D-12'), 'D-11'],
      ].sort((a, b) => a[0]!.localeCompare(b[0]!)),
    );
    const audit = await api.json('GET', '/v1/audit-events?entity=mapping_import');
    expect(audit.body.items).toEqual([]);
  });
});

describe('apply', () => {
  it('applies nothing when any row is an error, answering 422 with the report', async () => {
    const before = await currentMappings(api);
    const r = await upload(api, everyKind, { dryRun: false });
    expect(r.status).toBe(422);
    expect(r.body.error).toEqual({
      code: 'unprocessable',
      message: '13 of 18 rows cannot be imported, so nothing was changed. Fix them (see details.rows) and import again.',
    });
    expect(r.body.details!.totals).toEqual({ rows: 18, create: 4, unchanged: 1, replace: 0, error: 13 });
    expect(r.body.details!.applied).toBe(false);
    expect(await currentMappings(api)).toEqual(before);
    expect((await api.json('GET', '/v1/audit-events?entity=mapping')).body.items).toEqual([]);
  });

  it('applies a clean file in one go, with an audit event per mapping and one for the import', async () => {
    const file = csvText([HEADER, [lockOf('C-01'), 'C-01'], [lockOf('C-02'), 'c-02'], [lockOf('A-02'), 'A-02']]);
    const dry = await upload(api, file);
    expect(dry.body.totals).toEqual({ rows: 3, create: 2, unchanged: 1, replace: 0, error: 0 });
    const r = await upload(api, file, { dryRun: false });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ dryRun: false, applied: true, totals: dry.body.totals });
    expect(r.body.importId).toMatch(/^[0-9a-f-]{36}$/);
    const mapped = await currentMappings(api);
    expect(mapped).toContainEqual([lockOf('C-01'), 'C-01']);
    expect(mapped).toContainEqual([lockOf('C-02'), 'C-02']);

    const events = (await api.json('GET', '/v1/audit-events?entity=mapping&limit=100')).body.items as { action: string; entityId: string; actor: string }[];
    expect(events.map((e) => [e.action, e.entityId]).sort()).toEqual([
      ['mapping.created', 'U1024'],
      ['mapping.created', 'U1025'],
    ]);
    const imports = (await api.json('GET', `/v1/audit-events?entity=mapping_import&entityId=${r.body.importId}`)).body.items;
    expect(imports).toHaveLength(1);
    expect(imports[0]).toMatchObject({ action: 'mappings.imported', actor: 'token:test', after: { format: 'csv', replace: false, totals: dry.body.totals } });
    expect(imports[0].after.sha256).toMatch(/^[0-9a-f]{64}$/);

    // The same file again changes nothing.
    const again = await upload(api, file, { dryRun: false });
    expect(again.body.totals).toEqual({ rows: 3, create: 0, unchanged: 3, replace: 0, error: 0 });
  });

  it('moves mapped locks and units only when asked to replace', async () => {
    // D-12's lock leaves D-11 for D-12; D-01 leaves no lock behind (it had none).
    const file = csvText([HEADER, [lockOf('D-12'), 'D-12'], [lockOf('D-01'), 'D-01']]);
    const refused = await upload(api, file, { dryRun: false });
    expect(refused.status).toBe(422);
    expect(refused.body.details!.rows[0]!.problems[0]!.code).toBe('conflict');

    const dry = await upload(api, file, { replace: true });
    expect(dry.body.rows[0]).toMatchObject({ action: 'replace', lockWasMappedTo: { externalId: 'U1046', name: 'D-11' }, unitWasMappedTo: null, problems: [] });
    expect(dry.body.rows[1]).toMatchObject({ action: 'create' });

    const applied = await upload(api, file, { replace: true, dryRun: false });
    expect(applied.status).toBe(200);
    expect(applied.body.totals).toMatchObject({ replace: 1, create: 1, error: 0 });
    const mapped = await currentMappings(api);
    expect(mapped).toContainEqual([lockOf('D-12'), 'D-12']);
    expect(mapped.filter(([, name]) => name === 'D-11')).toEqual([]);
    const d11 = (await api.json('GET', '/v1/audit-events?entity=mapping&entityId=U1046')).body.items;
    expect(d11.map((e: { action: string }) => e.action)).toEqual(['mapping.deleted']);
  });

  it('replaces the lock of a unit that had another one', async () => {
    // A-03 (mapped to its own lock) now takes the unmapped shared lock "Loading bay".
    const spare = stableUuid('lock:Loading bay');
    const r = await upload(api, csvText([HEADER, [spare, 'A-03']]), { replace: true, dryRun: false });
    expect(r.body.rows[0]).toMatchObject({ action: 'replace', unitWasMappedTo: lockOf('A-03'), lockWasMappedTo: null });
    const events = (await api.json('GET', '/v1/audit-events?entity=mapping&entityId=U1002')).body.items;
    expect(events[0]).toMatchObject({ action: 'mapping.replaced', before: { lockId: lockOf('A-03') }, after: { lockId: spare } });
  });
});

describe('headers and requests', () => {
  it('accepts the two headers in any order, case and spacing', async () => {
    const r = await upload(api, csvText([['  kinnovis   UNIT name', 'TAPKEY LOCK ID '], ['A-05', lockOf('A-05')]]));
    expect(r.status).toBe(200);
    expect(r.body.rows[0]).toMatchObject({ row: 2, action: 'create', lockId: lockOf('A-05'), unitName: 'A-05' });
  });

  it.each([
    [[['Lock', 'Unit']], 'Row 1 must hold exactly the two headers “Tapkey Lock ID” and “Kinnovis Unit Name”; it holds “Lock”, “Unit”.', [
      'Missing the column “Tapkey Lock ID”',
      'Missing the column “Kinnovis Unit Name”',
      'Unexpected columns “Lock”, “Unit”',
    ]],
    [[['Tapkey Lock ID', 'Kinnovis Unit Name', 'Notes']], 'Row 1 must hold exactly the two headers “Tapkey Lock ID” and “Kinnovis Unit Name”; it holds “Tapkey Lock ID”, “Kinnovis Unit Name”, “Notes”.', [
      'Unexpected column “Notes”',
    ]],
    [[[], ['Tapkey Lock ID', 'Tapkey Lock ID']], 'Row 2 must hold exactly the two headers “Tapkey Lock ID” and “Kinnovis Unit Name”; it holds “Tapkey Lock ID”, “Tapkey Lock ID”.', [
      'The column “Tapkey Lock ID” appears 2 times',
      'Missing the column “Kinnovis Unit Name”',
    ]],
  ])('rejects wrong headers with a clear 422 (%j)', async (rows, message, fieldMessages) => {
    const r = await upload(api, csvText(rows as string[][]));
    expect(r.status).toBe(422);
    expect(r.body.error).toEqual({ code: 'unprocessable', message });
    expect(r.body.fieldErrors).toEqual(fieldMessages.map((m) => ({ path: 'header', message: m })));
  });

  it('rejects an empty file and a file of blank lines', async () => {
    expect((await upload(api, '')).body.error!.message).toBe('The file is empty.');
    const blank = await upload(api, '\r\n;\r\n\r\n');
    expect(blank.status).toBe(422);
    expect(blank.body.error!.message).toBe('The file is empty. Its first row must hold exactly the two headers “Tapkey Lock ID” and “Kinnovis Unit Name”.');
  });

  it('answers a header-only file with an empty report', async () => {
    const r = await upload(api, csvText([HEADER, [], []]));
    expect(r.status).toBe(200);
    expect(r.body.totals).toEqual({ rows: 0, create: 0, unchanged: 0, replace: 0, error: 0 });
  });

  it('refuses multipart and JSON bodies with 415, and bad flags with 400', async () => {
    const form = new FormData();
    form.set('file', new Blob([csvText([HEADER])]), 'mappings.csv');
    const multipart = await api.fetch('/v1/mappings/import', { method: 'POST', body: form });
    expect(multipart.status).toBe(415);
    expect(((await multipart.json()) as { error: { message: string } }).error.message).toMatch(/^Send the file itself as the request body with Content-Type text\/csv/);
    expect((await upload(api, '{}', { contentType: 'application/json' })).status).toBe(415);
    const bad = await api.fetch('/v1/mappings/import?dryRun=maybe', { method: 'POST', body: csvText([HEADER]), headers: { 'content-type': 'text/csv' } });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { fieldErrors: { path: string }[] }).fieldErrors[0]!.path).toBe('dryRun');
  });

  it('documents the raw-file upload and the exports in the OpenAPI document', async () => {
    const doc = (await api.json('GET', '/openapi.json', undefined, { token: null })).body;
    const post = doc.paths['/v1/mappings/import'].post;
    expect(Object.keys(post.requestBody.content)).toEqual(['text/csv', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet']);
    expect(post.parameters.map((p: { name: string }) => p.name)).toEqual(['dryRun', 'replace', 'locationId']);
    expect(Object.keys(post.responses)).toEqual(expect.arrayContaining(['200', '413', '415', '422']));
    expect(doc.paths['/v1/mappings/export'].get.parameters[0].name).toBe('format');
    expect(doc.paths['/v1/locks/export'].get).toBeDefined();
  });

  it('requires a token and keeps organizations apart', async () => {
    const anonymous = await api.fetch('/v1/mappings/import', { method: 'POST', body: csvText([HEADER]), headers: { authorization: '' } });
    expect(anonymous.status).toBe(401);
    const other = await api.newOrg();
    const r = await upload(api, csvText([HEADER, [lockOf('A-01'), 'A-01']]), { token: other.token });
    expect(r.body.rows[0]!.problems.map((p) => p.code)).toEqual(['unknown_lock', 'unknown_unit']);
    const exported = await api.fetch('/v1/mappings/export?format=csv', { headers: { authorization: `Bearer ${other.token}` } });
    // The byte-order mark is there (Response.text() would hide it).
    expect(Buffer.from(await exported.arrayBuffer()).toString('utf8')).toBe('\ufeff"Tapkey Lock ID","Kinnovis Unit Name"\r\n');
  });
});
