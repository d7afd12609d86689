/**
 * Request size limits on every route that takes a body, as /openapi.json lists them: more than
 * 1 MiB of JSON is 413 with the contract's error body whether the size is announced or
 * streamed, on every POST/PUT/PATCH/DELETE route, before any handler writes anything; JSON
 * that is small but hostile in shape (deep nesting, thousands of keys) is a 4xx, never a 500.
 * The mapping file import keeps its own cap (5 MiB, 20,000 rows: test/bulk/file-formats).
 */
import { deflateRawSync, crc32 } from 'node:zlib';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorBodySchema } from '../../lib/contract.ts';
import { FILE_CONTENT_TYPES } from '../../lib/mapping-file.ts';
import { startTestApi, type TestApi } from '../helpers/api.ts';
import { loadRoutes, type Route } from './routes.ts';

/** The documented caps (/openapi.json): stated here, not imported, so raising one is caught. */
const MAX_BODY_BYTES = 1024 * 1024;
const MAX_IMPORT_BYTES = 5 * 1024 * 1024;

let api: TestApi;
let writeRoutes: Route[];
let locationId: string;

const concrete = (path: string) =>
  path.replace(/\{(id)\}/g, () => locationId).replace(/\{lockId\}/g, '3f1c2a9e-8b7d-4c21-9a55-2e6f0d4b7c10').replace(/\{[^}]+\}/g, 'U1');

async function rowCount() {
  const { rows } = (await api.database.db.execute(
    sql`select (select count(*) from audit_events) + (select count(*) from outbox_jobs) + (select count(*) from units) + (select count(*) from locations) as n`,
  )) as unknown as { rows: { n: string | number }[] };
  return Number(rows[0]!.n);
}

async function expect413(res: Response, label: string) {
  const text = await res.text();
  expect(res.status, `${label}: ${text.slice(0, 200)}`).toBe(413);
  expect(errorBodySchema.parse(JSON.parse(text)).error.code, label).toBe('payload_too_large');
}

/** A body of `bytes` that streams in 64 KiB chunks, with no Content-Length. */
function streamed(bytes: number, head = '{"name":"x","pad":"') {
  let sent = 0;
  const chunk = new Uint8Array(64 * 1024).fill(0x61);
  const first = new TextEncoder().encode(head);
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (sent === 0) {
        sent += first.length;
        controller.enqueue(first);
      } else if (sent < bytes) {
        sent += chunk.length;
        controller.enqueue(chunk);
      } else controller.close();
    },
  });
}

beforeAll(async () => {
  api = await startTestApi();
  locationId = (await api.json('POST', '/v1/locations', { name: 'Site' })).body.id;
  expect((await api.json('PUT', '/v1/units/U1', { name: 'A-01' })).status).toBe(201);
  writeRoutes = (await loadRoutes(api)).routes.filter((r) => r.path.startsWith('/v1/') && r.method !== 'GET' && r.path !== '/v1/mappings/import' && r.path !== '/v1/locations/{id}/bookings/import');
});
afterAll(() => api?.close());

describe('1 MiB JSON cap on every route that writes', () => {
  it('covers every non-GET /v1 operation of the document', () => {
    expect(writeRoutes.length).toBeGreaterThan(15);
  });

  it('announced bodies over 1 MiB are 413 and write nothing', async () => {
    const before = await rowCount();
    const big = JSON.stringify({ name: 'x', lockId: '3f1c2a9e-8b7d-4c21-9a55-2e6f0d4b7c10', pad: 'y'.repeat(MAX_BODY_BYTES) });
    for (const route of writeRoutes)
      await expect413(await api.fetch(concrete(route.path), { method: route.method, headers: { 'content-type': 'application/json' }, body: big }), route.key);
    expect(await rowCount()).toBe(before);
  });

  it('streamed bodies (no Content-Length) over 1 MiB are 413 and write nothing', async () => {
    const before = await rowCount();
    for (const route of writeRoutes) {
      const res = await api.fetch(concrete(route.path), {
        method: route.method,
        headers: { 'content-type': 'application/json' },
        body: streamed(MAX_BODY_BYTES + 128 * 1024),
        duplex: 'half',
      } as RequestInit);
      await expect413(res, `${route.key} streamed`);
    }
    expect(await rowCount()).toBe(before);
  });

  it('a body just under the cap is read (the cap is not lower than documented)', async () => {
    const body = JSON.stringify({ name: 'x', pad: 'y'.repeat(MAX_BODY_BYTES - 100) });
    expect(body.length).toBeLessThan(MAX_BODY_BYTES);
    const res = await api.json('PUT', '/v1/units/U-big', JSON.parse(body));
    expect(res.status).toBe(201);
  });
});

describe('small but hostile JSON', () => {
  const shapes: [string, string][] = [
    ['100,000 levels of nesting', '['.repeat(100_000) + ']'.repeat(100_000)],
    ['100,000 levels of objects', '{"a":'.repeat(100_000) + '1' + '}'.repeat(100_000)],
    ['50,000 keys', `{"name":"x",${Array.from({ length: 50_000 }, (_, i) => `"k${i}":1`).join(',')}}`],
    ['a __proto__ key', '{"name":"x","__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}}}'],
    ['a lone surrogate', '{"name":"\\ud800"}'],
    ['a NUL character', '{"name":"a\\u0000b"}'],
    ['a huge number', `{"name":"x","limit":1${'0'.repeat(400)}}`],
    ['duplicate keys', '{"name":"first","name":"<script>"}'],
    ['not UTF-8', '{"name":"\xff\xfe"}'],
  ];

  it.each(shapes)('%s → a 2xx or 4xx with the contract body, never a 500', async (_, body) => {
    for (const [method, path] of [
      ['POST', '/v1/locations'],
      ['PUT', '/v1/units/U-shape'],
      ['POST', '/v1/locks/captured'],
      ['POST', '/v1/keycafe/bookings'],
    ] as const) {
      const res = await api.fetch(path, { method, headers: { 'content-type': 'application/json' }, body });
      const text = await res.text();
      expect(res.status, `${method} ${path}: ${text.slice(0, 200)}`).toBeLessThan(500);
      if (res.status >= 400) expect(errorBodySchema.safeParse(JSON.parse(text)).success, text.slice(0, 200)).toBe(true);
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('a NUL character anywhere (body, path, query) is a 400, never a database error', async () => {
    for (const [method, path, body] of [
      ['PUT', '/v1/units/U-nul', { name: 'a\u0000b' }],
      ['PUT', '/v1/units/a%00b', { name: 'x' }],
      ['GET', '/v1/units?search=%00', undefined],
      ['GET', '/v1/bookings?search=%00', undefined],
      ['POST', '/v1/locations', { name: 'x', tapkey: { clientId: 'a\u0000', ownerAccountId: 'o' } }],
    ] as const) {
      const res = await api.json(method, path, body);
      expect(res.status, `${method} ${path}`).toBe(400);
      // Identifiers (unit ids and names) refuse control characters in validation (lib/identifiers.ts),
      // with a field error; other text reaches the database's own NUL refusal.
      expect(['bad_request', 'validation_failed']).toContain(res.body.error.code);
    }
  });
});

// The bookings file import (like the mapping file import) has its own 5 MiB cap.
describe('bookings file import cap', () => {
  it(`a streamed upload over ${MAX_IMPORT_BYTES / 1024 / 1024} MiB (no Content-Length) is 413`, async () => {
    const location = await api.json('POST', '/v1/locations', { name: 'Size limits' });
    const res = await api.fetch(`/v1/locations/${location.body.id}/bookings/import?dryRun=true`, {
      method: 'POST',
      headers: { 'content-type': FILE_CONTENT_TYPES.csv },
      body: streamed(MAX_IMPORT_BYTES + 256 * 1024, 'Booking ID,Unit ID,Move-in\r\n'),
      duplex: 'half',
    } as RequestInit);
    await expect413(res, 'streamed bookings import');
  });
});

describe('mapping file import caps', () => {
  it('the honest minimal workbook used below is read (so the refusal is about the lie)', async () => {
    const res = await api.fetch('/v1/mappings/import?dryRun=true', {
      method: 'POST',
      headers: { 'content-type': FILE_CONTENT_TYPES.xlsx },
      body: workbook() as Uint8Array<ArrayBuffer>,
    });
    expect(res.status, await res.clone().text()).toBe(200);
    expect((await res.json()).totals.rows).toBe(0);
  });

  it(`a streamed upload over ${MAX_IMPORT_BYTES / 1024 / 1024} MiB (no Content-Length) is 413`, async () => {
    const res = await api.fetch('/v1/mappings/import?dryRun=true', {
      method: 'POST',
      headers: { 'content-type': FILE_CONTENT_TYPES.csv },
      body: streamed(MAX_IMPORT_BYTES + 256 * 1024, 'Tapkey Lock ID,Kinnovis Unit Name\r\n'),
      duplex: 'half',
    } as RequestInit);
    await expect413(res, 'streamed import');
  });

  // The ZIP guard measures what the parts really inflate to (capped), not what they declare.
  it('a workbook that lies about its unpacked size is refused as too large (413), not unpacked', async () => {
    const res = await api.fetch('/v1/mappings/import?dryRun=true', {
      method: 'POST',
      headers: { 'content-type': FILE_CONTENT_TYPES.xlsx },
      body: workbook(64) as Uint8Array<ArrayBuffer>,
    });
    await expect413(res, 'lying workbook');
  });
});

/** The parts of a minimal workbook: one sheet with the two headers. */
const WORKBOOK_PARTS: Record<string, string> = {
  '[Content_Types].xml':
    '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>',
  '_rels/.rels':
    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>',
  'xl/workbook.xml':
    '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Mappings" sheetId="1" r:id="rId1"/></sheets></workbook>',
  'xl/_rels/workbook.xml.rels':
    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>',
  'xl/worksheets/sheet1.xml':
    '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>Tapkey Lock ID</t></is></c><c r="B1" t="inlineStr"><is><t>Kinnovis Unit Name</t></is></c></row></sheetData></worksheet>',
};

/**
 * The minimal workbook as a ZIP archive; with `padMiB`, its sheet XML carries that many MiB of
 * spaces while its ZIP entry declares 1,000 bytes (a "zip bomb" that lies about its size).
 */
function workbook(padMiB = 0): Uint8Array {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const [name, xml] of Object.entries(WORKBOOK_PARTS)) {
    let data = Buffer.from(xml);
    let declared = data.length;
    if (padMiB && name === 'xl/worksheets/sheet1.xml') {
      const at = xml.indexOf('<sheetData>') + '<sheetData>'.length;
      data = Buffer.concat([Buffer.from(xml.slice(0, at)), Buffer.alloc(padMiB * 1024 * 1024, 0x20), Buffer.from(xml.slice(at))]);
      declared = 1000;
    }
    const deflated = deflateRawSync(data, { level: 9 });
    const nameBytes = Buffer.from(name);
    const crc = crc32(data) >>> 0;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(8, 8);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(deflated.length, 18);
    local.writeUInt32LE(declared, 22);
    local.writeUInt16LE(nameBytes.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(8, 10);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(deflated.length, 20);
    central.writeUInt32LE(declared, 24);
    central.writeUInt16LE(nameBytes.length, 28);
    central.writeUInt32LE(offset, 42);
    const part = Buffer.concat([local, nameBytes, deflated]);
    locals.push(part);
    centrals.push(Buffer.concat([central, nameBytes]));
    offset += part.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(centrals.length, 8);
  end.writeUInt16LE(centrals.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return new Uint8Array(Buffer.concat([...locals, directory, end]));
}
