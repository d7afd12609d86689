import { deflateRawSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FILE_CONTENT_TYPES, MAX_IMPORT_BYTES, MAX_IMPORT_ROWS } from '../../lib/mapping-file.ts';
import { stableUuid } from '../../sandbox/demo-data.ts';
import { startTestApi, type TestApi } from '../helpers/api.ts';
import { csvText, HEADER, seed, upload, utf8, xlsxBytes } from './fixtures.ts';

let api: TestApi;
const lock = (n: number) => stableUuid(`format-lock:${n}`);
const TRICKY = 'Hall "North"; Row 2,\nBay';

beforeAll(async () => {
  api = await startTestApi();
  await seed(api, {
    units: [
      { externalId: 'F1', name: 'A-01' },
      { externalId: 'F2', name: 'Büro-1' },
      { externalId: 'F3', name: TRICKY },
      { externalId: 'F4', name: '=SUM(A1)' },
      { externalId: 'F5', name: '101' },
      { externalId: 'F6', name: 'Rich unit' },
      { externalId: 'F7', name: 'Formula unit' },
    ],
    locks: Array.from({ length: 10 }, (_, i) => ({ id: lock(i), title: `Lock ${i}` })),
  });
});
afterAll(async () => {
  await api?.close();
});

describe('CSV as Excel and others write it', () => {
  it('reads `;` separators and a UTF-8 byte-order mark (European Excel)', async () => {
    const r = await upload(api, utf8(csvText([HEADER, [lock(0), 'A-01'], [lock(1), 'Büro-1']], ';'), true));
    expect(r.status).toBe(200);
    expect(r.body.rows.map((x) => [x.row, x.action, x.unitName])).toEqual([
      [2, 'create', 'A-01'],
      [3, 'create', 'Büro-1'],
    ]);
  });

  it('reads quoted fields holding separators, quotes and line breaks', async () => {
    const r = await upload(api, csvText([HEADER, [lock(2), TRICKY], [lock(0), 'A-01']]));
    expect(r.body.rows.map((x) => [x.row, x.action, x.unitName])).toEqual([
      [2, 'create', TRICKY],
      [3, 'create', 'A-01'],
    ]);
  });

  it('reads Windows-1252 (Excel’s plain CSV) and UTF-16 tab-separated text (Excel’s Unicode text)', async () => {
    const ansi = Buffer.from(`Tapkey Lock ID;Kinnovis Unit Name\r\n${lock(1)};Büro-1\r\n`, 'latin1');
    expect((await upload(api, new Uint8Array(ansi), { contentType: 'application/vnd.ms-excel' })).body.rows[0]).toMatchObject({ action: 'create', unitName: 'Büro-1' });
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(`Tapkey Lock ID\tKinnovis Unit Name\r\n${lock(1)}\tBüro-1\r\n`, 'utf16le')]);
    expect((await upload(api, new Uint8Array(utf16), { contentType: 'text/plain' })).body.rows[0]).toMatchObject({ action: 'create', unitName: 'Büro-1' });
  });

  it('removes the formula-protection apostrophe the export adds', async () => {
    const r = await upload(api, csvText([HEADER, [lock(3), "'=SUM(A1)"]]));
    expect(r.body.rows[0]).toMatchObject({ action: 'create', unit: { externalId: 'F4', name: '=SUM(A1)' } });
  });

  it('reports blank rows between data as empty rows and ignores trailing ones', async () => {
    const r = await upload(api, `${HEADER.join(',')}\r\n${lock(0)},A-01\r\n\r\n,\r\n${lock(1)},Büro-1\r\n\r\n\r\n,\r\n`);
    expect(r.body.rows.map((x) => [x.row, x.action, x.problems.map((p) => p.code)])).toEqual([
      [2, 'create', []],
      [3, 'error', ['empty_row']],
      [4, 'error', ['empty_row']],
      [5, 'create', []],
    ]);
  });

  it('rejects an unclosed quote with the row it starts in', async () => {
    const r = await upload(api, `${HEADER.join(',')}\r\n${lock(0)},A-01\r\n${lock(1)},"Büro-1\r\n`);
    expect(r.status).toBe(422);
    expect(r.body.error!.message).toBe('Row 3: a quoted field is not closed (a " is missing).');
  });
});

describe('XLSX', () => {
  it('reads numbers, rich text, formulas and hyperlinks as the text the user sees', async () => {
    const bytes = await xlsxBytes([
      HEADER,
      [lock(4), 101],
      [{ richText: [{ text: lock(5).slice(0, 10) }, { text: lock(5).slice(10), font: { bold: true } }] }, { richText: [{ text: 'Rich ' }, { text: 'unit' }] }],
      [{ text: lock(6), hyperlink: `https://my.tapkey.com/locks/${lock(6)}` }, { formula: 'CONCAT("Formula"," unit")', result: 'Formula unit' }],
    ]);
    const r = await upload(api, bytes);
    expect(r.status).toBe(200);
    expect(r.body.format).toBe('xlsx');
    expect(r.body.rows.map((x) => [x.row, x.action, x.lockId, x.unitName])).toEqual([
      [2, 'create', lock(4), '101'],
      [3, 'create', lock(5), 'Rich unit'],
      [4, 'create', lock(6), 'Formula unit'],
    ]);
  });

  it('uses the first visible sheet, numbers rows as Excel does, and reports gaps as empty rows', async () => {
    const bytes = await xlsxBytes([[], HEADER, [lock(0), 'A-01'], [], [lock(1), 'Büro-1'], [], []], { before: 'Hidden notes' });
    const r = await upload(api, bytes);
    expect(r.body.rows.map((x) => [x.row, x.action])).toEqual([
      [3, 'create'],
      [4, 'error'],
      [5, 'create'],
    ]);
  });

  it('finds the format from the bytes, whatever the label says', async () => {
    const bytes = await xlsxBytes([HEADER, [lock(0), 'A-01']]);
    expect((await upload(api, bytes, { contentType: 'application/octet-stream' })).body.format).toBe('xlsx');
    const mislabelled = await upload(api, csvText([HEADER]), { contentType: FILE_CONTENT_TYPES.xlsx });
    expect(mislabelled.status).toBe(422);
    expect(mislabelled.body.error!.message).toMatch(/^The file is labelled XLSX but is not a workbook/);
  });

  it('rejects a damaged workbook', async () => {
    const bytes = await xlsxBytes([HEADER, [lock(0), 'A-01']]);
    const truncated = bytes.slice(0, Math.floor(bytes.length / 2));
    const r = await upload(api, truncated);
    expect(r.status).toBe(422);
    expect(r.body.error!.message).toMatch(/^The file is not a readable XLSX workbook/);
  });

  it('refuses a small archive that would unpack to a huge one', async () => {
    const r = await upload(api, zipOf('xl/worksheets/sheet1.xml', Buffer.alloc(80 * 1024 * 1024, 0x20)));
    expect(r.status).toBe(413);
    expect(r.body.error!.message).toBe('The workbook unpacks to more than 64 MiB; a mapping file needs far less. Save only the two columns.');
  });
});

describe('limits', () => {
  it(`refuses files over ${MAX_IMPORT_BYTES / 1024 / 1024} MiB with 413`, async () => {
    const big = new Uint8Array(MAX_IMPORT_BYTES + 1).fill(0x41);
    const r = await upload(api, big);
    expect(r.status).toBe(413);
    expect(r.body.error).toEqual({ code: 'payload_too_large', message: 'The file is larger than 5 MiB. Split it into several files.' });
  });

  it(`takes ${MAX_IMPORT_ROWS.toLocaleString('en')} rows (over 1 MiB) and refuses one more`, async () => {
    const rows = Array.from({ length: MAX_IMPORT_ROWS }, (_, i) => [stableUuid(`cap-row:${i}`), `A unit name long enough to pass one mebibyte in total ${i}`]);
    const atCap = csvText([HEADER, ...rows]) + '\r\n\r\n';
    expect(atCap.length).toBeGreaterThan(1024 * 1024);
    const ok = await upload(api, atCap);
    expect(ok.status).toBe(200);
    expect(ok.body.totals.rows).toBe(MAX_IMPORT_ROWS);

    const over = await upload(api, csvText([HEADER, ...rows, [lock(0), 'A-01']]));
    expect(over.status).toBe(413);
    expect(over.body.error!.message).toBe('The file has more than 20,000 rows after the header; at most 20,000 can be imported at once. Split it into several files.');
  });

  it('counts XLSX rows by their row numbers', async () => {
    const r = await upload(api, await xlsxBytes([HEADER, [lock(0), 'A-01'], ...Array.from({ length: MAX_IMPORT_ROWS }, () => []), [lock(1), 'Büro-1']]));
    expect(r.status).toBe(413);
  });

  it('keeps the general 1 MiB cap on other routes', async () => {
    const locks = Array.from({ length: 1000 }, (_, i) => ({ id: stableUuid(`cap:${i}`), title: 'x'.repeat(200), pageUrl: `https://my.tapkey.com/${'y'.repeat(1500)}` }));
    const r = await api.json('POST', '/v1/locks/captured', { locks });
    expect(r.status).toBe(413);
  });
});

/** A one-part ZIP archive (deflated), enough for the central-directory guard. */
function zipOf(name: string, data: Buffer): Uint8Array {
  const deflated = deflateRawSync(data);
  const nameBytes = Buffer.from(name);
  const local = Buffer.alloc(30);
  local.writeUInt32LE(0x04034b50, 0);
  local.writeUInt16LE(20, 4);
  local.writeUInt16LE(8, 8);
  local.writeUInt32LE(deflated.length, 18);
  local.writeUInt32LE(data.length, 22);
  local.writeUInt16LE(nameBytes.length, 26);
  const central = Buffer.alloc(46);
  central.writeUInt32LE(0x02014b50, 0);
  central.writeUInt16LE(20, 4);
  central.writeUInt16LE(20, 6);
  central.writeUInt16LE(8, 10);
  central.writeUInt32LE(deflated.length, 20);
  central.writeUInt32LE(data.length, 24);
  central.writeUInt16LE(nameBytes.length, 28);
  const localPart = Buffer.concat([local, nameBytes, deflated]);
  const centralPart = Buffer.concat([central, nameBytes]);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(1, 8);
  end.writeUInt16LE(1, 10);
  end.writeUInt32LE(centralPart.length, 12);
  end.writeUInt32LE(localPart.length, 16);
  return new Uint8Array(Buffer.concat([localPart, centralPart, end]));
}
