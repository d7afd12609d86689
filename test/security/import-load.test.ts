/**
 * Imports must not stall the server for everyone: a bounded number of cells is read, large files
 * are parsed in a worker thread with its own heap cap (a file that needs more is refused, the
 * server keeps running), at most `maxParallel` files are parsed at once (503 with Retry-After)
 * and one organization runs one import at a time (429 with Retry-After).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError } from '../../server/errors.ts';
import { ImportGate, importGate, ParsePool, parseStats } from '../../server/bulk/parse-pool.ts';
import { MAX_IMPORT_CELLS } from '../../server/bulk/table-read.ts';
import { startTestApi, type TestApi } from '../helpers/api.ts';
import { csvText, HEADER, upload, xlsxBytes } from '../bulk/fixtures.ts';

let api: TestApi;
beforeAll(async () => {
  api = await startTestApi();
});
afterAll(() => api?.close());

const LOCK = 'ea610634-4fc0-4084-85b2-bebf52c3595f';

describe('cell budget', () => {
  it('refuses a CSV of few rows with huge rows (413) before building them', async () => {
    const wide = Array.from({ length: 30 }, (_, i) => [LOCK, `U${i}`, ...Array.from({ length: 10_000 }, () => '')]);
    const r = await upload(api, csvText([HEADER, ...wide]));
    expect(r.status).toBe(413);
    expect(r.body.error!.message).toContain(`more than ${MAX_IMPORT_CELLS.toLocaleString('en')} cells`);
  });

  it('refuses an XLSX whose rows hold one value far out at the right (413)', async () => {
    const far = (v: string) => [...Array.from({ length: 15_000 }, () => null), v];
    const r = await upload(api, await xlsxBytes([HEADER, ...Array.from({ length: 20 }, (_, i) => far(`x${i}`))]));
    expect(r.status).toBe(413);
    expect(r.body.error!.message).toContain('cells');
  }, 60_000);
});

describe('off the request thread', () => {
  it('reads a workbook in a worker thread and a small CSV inline', async () => {
    const before = { ...parseStats };
    const rows = [HEADER, [LOCK, 'A-01']];
    expect((await upload(api, await xlsxBytes(rows))).status).toBe(200);
    expect(parseStats.worker).toBe(before.worker + 1);
    expect((await upload(api, csvText(rows))).status).toBe(200);
    expect(parseStats.inline).toBe(before.inline + 1);
  });

  it('a file that needs more memory than a worker may use is refused (413); the pool and the server go on', async () => {
    // 24 MiB: enough to start and read a small workbook, not a 20,000-row one with long names.
    const pool = new ParsePool({ maxParallel: 1, heapMb: 24, timeoutMs: 60_000, inlineCsvBytes: 0 });
    try {
      const big = await xlsxBytes([HEADER, ...Array.from({ length: 20_000 }, (_, i) => [LOCK, `Unit with a long name number ${i} ${'x'.repeat(80)}`])]);
      const err = await pool.read(big, 'xlsx').then(
        () => null,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(ApiError);
      expect((err as ApiError).code).toBe('payload_too_large');
      // A fresh worker takes the next file.
      const small = await pool.read(await xlsxBytes([HEADER, [LOCK, 'A-01']]), 'xlsx');
      expect(small.rows.map((r) => r.cells)).toEqual([[LOCK, 'A-01']]);
      expect((await api.json('GET', '/v1/units')).status).toBe(200);
    } finally {
      await pool.close();
    }
  }, 120_000);

  it('parses at most maxParallel files at once: one more is a 503 with a retry time, not a queue', async () => {
    const pool = new ParsePool({ maxParallel: 1, heapMb: 256, timeoutMs: 60_000, inlineCsvBytes: 0 });
    try {
      const file = await xlsxBytes([HEADER, [LOCK, 'A-01']]);
      const first = pool.read(file, 'xlsx');
      const second = pool.read(file, 'xlsx').then(
        () => null,
        (e: unknown) => e as ApiError,
      );
      const refused = await second;
      expect(refused?.code).toBe('unavailable');
      expect(refused?.status).toBe(503);
      expect(refused?.details).toEqual({ retryAfterSeconds: 5 });
      expect((await first).rows).toHaveLength(1);
      // Free again once the first is done.
      expect((await pool.read(file, 'xlsx')).rows).toHaveLength(1);
    } finally {
      await pool.close();
    }
  }, 60_000);
});

describe('one import per organization', () => {
  it('a second import of the same organization while one runs is a 429 with Retry-After; other organizations go on', async () => {
    const leave = importGate.enter(api.orgId);
    try {
      const res = await api.fetch('/v1/mappings/import', { method: 'POST', body: csvText([HEADER, [LOCK, 'A-01']]), headers: { 'content-type': 'text/csv' } });
      expect(res.status).toBe(429);
      expect(res.headers.get('retry-after')).toBe('5');
      expect(((await res.json()) as { error: { message: string } }).error.message).toContain('An import for your organization is still running');
      const other = await api.newOrg();
      expect((await upload(api, csvText([HEADER, [LOCK, 'A-01']]), { token: other.token })).status).toBe(200);
    } finally {
      leave();
    }
    expect((await upload(api, csvText([HEADER, [LOCK, 'A-01']]))).status).toBe(200);
  });

  it('the gate is released after a failed import too', async () => {
    const gate = new ImportGate();
    const leave = gate.enter('org');
    expect(() => gate.enter('org')).toThrow(ApiError);
    leave();
    gate.enter('org')();
    expect((await upload(api, 'not,a\r\nmapping,file')).status).toBe(422);
    expect((await upload(api, csvText([HEADER, [LOCK, 'A-01']]))).status).toBe(200);
  });
});
