import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FILE_CONTENT_TYPES, LOCK_EXPORT_HEADERS } from '../../lib/mapping-file.ts';
import { stableUuid } from '../../sandbox/demo-data.ts';
import { startTestApi, type TestApi } from '../helpers/api.ts';
import { currentMappings, HEADER, seed, upload, xlsxBytes, xlsxRows } from './fixtures.ts';

let api: TestApi;
const N = 10_000;
// Zero-padded names sort the same in every collation, so the export's order is predictable.
const units = Array.from({ length: N }, (_, i) => ({ externalId: `R${i}`, name: `Unit ${String(i).padStart(5, '0')}` }));
const locks = units.map((u) => ({ id: stableUuid(`rt:${u.externalId}`), title: `Door ${u.name}` }));
const fileRows = units.map((u, i) => [locks[i]!.id, u.name]);

beforeAll(async () => {
  api = await startTestApi();
  await seed(api, { units, locks });
}, 120_000);
afterAll(async () => {
  await api?.close();
});

async function download(path: string, token?: string) {
  const res = await api.fetch(path, token ? { headers: { authorization: `Bearer ${token}` } } : {});
  return { res, bytes: await res.arrayBuffer() };
}

describe(`${N.toLocaleString('en')} rows`, () => {
  it('imports an XLSX file and exports exactly the same rows', async () => {
    const file = await xlsxBytes([HEADER, ...fileRows]);

    const dry = await upload(api, file);
    expect(dry.status).toBe(200);
    expect(dry.body.totals).toEqual({ rows: N, create: N, unchanged: 0, replace: 0, error: 0 });

    const applied = await upload(api, file, { dryRun: false });
    expect(applied.status).toBe(200);
    expect(applied.body.applied).toBe(true);
    expect((await currentMappings(api)).length).toBe(N);

    const { res, bytes } = await download('/v1/mappings/export?format=xlsx');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe(FILE_CONTENT_TYPES.xlsx);
    expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename="accessbridge-mappings-\d{4}-\d{2}-\d{2}\.xlsx"$/);
    expect(await xlsxRows(bytes)).toEqual([HEADER, ...fileRows]);
  }, 120_000);

  it('imports its own XLSX and CSV exports as all unchanged', async () => {
    for (const format of ['xlsx', 'csv'] as const) {
      const { bytes } = await download(`/v1/mappings/export?format=${format}`);
      const again = await upload(api, new Uint8Array(bytes));
      expect(again.body.format).toBe(format);
      expect(again.body.totals).toEqual({ rows: N, create: 0, unchanged: N, replace: 0, error: 0 });
    }
  }, 120_000);

  it('writes CSV as UTF-8 with BOM, CRLF and exactly the two columns', async () => {
    const { res, bytes } = await download('/v1/mappings/export?format=csv');
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    const text = Buffer.from(bytes).toString('utf8');
    // Every field quoted: a `;` or tab in a name never splits it, whatever the reader's separator.
    expect(text.startsWith('\ufeff"Tapkey Lock ID","Kinnovis Unit Name"\r\n')).toBe(true);
    const lines = text.slice(1).trimEnd().split('\r\n');
    expect(lines).toHaveLength(N + 1);
    expect(lines.slice(1)).toEqual(fileRows.map((r) => r.map((c) => `"${c}"`).join(',')));
  });
});

describe('names that need care', () => {
  const names = ['Büro 1 – Süd', '=HYPERLINK("x")', "'=already quoted", '+41 cell', '-1', '@home', '007', '101', 'Hall "North", Row 2', 'Line\nbreak', '  padded  ', 'ünïcødé 日本'];
  let org: { orgId: string; token: string };

  beforeAll(async () => {
    org = await api.newOrg('Careful names');
    await seed(
      api,
      {
        units: names.map((name, i) => ({ externalId: `N${i}`, name })),
        locks: names.map((_, i) => ({ id: stableUuid(`care:${i}`), title: `Lock ${i}` })),
        mappings: names.map((_, i) => [stableUuid(`care:${i}`), `N${i}`]),
      },
      org.orgId,
    );
  });

  it.each(['csv', 'xlsx'] as const)('survive a %s export and re-import unchanged', async (format) => {
    const { bytes } = await download(`/v1/mappings/export?format=${format}`, org.token);
    const r = await upload(api, new Uint8Array(bytes), { token: org.token });
    expect(r.status).toBe(200);
    expect(r.body.totals).toEqual({ rows: names.length, create: 0, unchanged: names.length, replace: 0, error: 0 });
    expect(r.body.rows.map((x) => x.unit!.externalId).sort()).toEqual(names.map((_, i) => `N${i}`).sort());
  });

  it('are written to CSV so that spreadsheets do not run them as formulas', async () => {
    const text = Buffer.from((await download('/v1/mappings/export?format=csv', org.token)).bytes).toString('utf8');
    for (const cell of ["'=HYPERLINK(\"\"x\"\")", "''=already quoted", "'+41 cell", "'-1", "'@home"]) expect(text).toContain(cell);
    expect(text).toContain(',"007"\r\n');
  });

  it('are plain text cells in XLSX, never formulas or numbers', async () => {
    const rows = await xlsxRows((await download('/v1/mappings/export?format=xlsx', org.token)).bytes);
    const exported = rows.slice(1).map((r) => r[1]);
    expect(exported.every((v) => typeof v === 'string')).toBe(true);
    expect([...exported].sort()).toEqual([...names].sort());
  });
});

describe('lock export', () => {
  it('lists every known lock with title, source, location, captured URL and mapped unit', async () => {
    const org = await api.newOrg('Lock export');
    const pageUrl = (id: string) => `https://my.tapkey.com/#/owners/o1/locks/${id}`;
    const captured = [stableUuid('le:1'), stableUuid('le:2')];
    const cap = await api.json('POST', '/v1/locks/captured', { locks: captured.map((id, i) => ({ id, title: `Captured ${i + 1}`, pageUrl: pageUrl(id) })) }, { token: org.token });
    expect(cap.status).toBeLessThan(300);
    const unit = await api.json('PUT', '/v1/units/X1', { name: 'C-07' }, { token: org.token });
    expect(unit.status).toBe(201);
    expect((await api.json('PUT', '/v1/units/X1/mapping', { lockId: captured[1] }, { token: org.token })).status).toBe(201);

    const { res, bytes } = await download('/v1/locks/export?format=csv', org.token);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toMatch(/filename="accessbridge-locks-[\d-]+\.csv"/);
    const text = Buffer.from(bytes).toString('utf8');
    expect(text).toBe(
      '\ufeff' +
        [
          LOCK_EXPORT_HEADERS.map((h) => `"${h}"`).join(','),
          `"${captured[0]}","","Captured 1","captured","","${pageUrl(captured[0]!)}",""`,
          `"${captured[1]}","C-07","Captured 2","captured","","${pageUrl(captured[1]!)}","X1"`,
        ].join('\r\n') +
        '\r\n',
    );
    const xlsx = await xlsxRows((await download('/v1/locks/export?format=xlsx', org.token)).bytes);
    expect(xlsx[0]).toEqual([...LOCK_EXPORT_HEADERS]);
    expect(xlsx[2]).toEqual([captured[1], 'C-07', 'Captured 2', 'captured', undefined, pageUrl(captured[1]!), 'X1']);
  });

  it('validates the format', async () => {
    const r = await api.json('GET', '/v1/locks/export?format=pdf');
    expect(r.status).toBe(400);
    expect(r.body.fieldErrors[0].path).toBe('format');
  });
});
