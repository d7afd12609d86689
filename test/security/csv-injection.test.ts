/**
 * CSV formula injection in every locale: German and French Excel split CSV at `;`, some
 * readers at tabs, and a reader that ignores quotes splits anywhere. Every exported field is
 * quoted and every separator-delimited part of a cell that could start a formula is prefixed
 * with `'`; the import takes exactly that prefix off again, so names survive a round trip.
 */
import fc from 'fast-check';
import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { escapeFormula, readTable, unescapeFormula } from '../../server/bulk/table-read.ts';
import { writeCsv } from '../../server/bulk/table-write.ts';

const HEADER = ['Tapkey Lock ID', 'Kinnovis Unit Name'];
const LOCK = 'ea610634-4fc0-4084-85b2-bebf52c3595f';
const hostile = ["B-07;=cmd|' /C calc'!A0", 'A\t=1+1', 'x,+SUM(A1)', 'y\r\n@foo', "'=already", '=1;-2;@3', ';=HYPERLINK("http://evil")', '\t-5'];
const formulaStart = /^[=+\-@]/;

/** What a reader sees that splits at `sep` and ignores quoting entirely (the worst case). */
const naiveCells = (text: string, sep: string) => text.split(/\r\n|\n|\r/).flatMap((line) => line.split(sep)).map((c) => c.replace(/^[" ]+/, ''));

const cellText = fc.string({ unit: fc.constantFrom('=', '+', '-', '@', "'", ';', ',', '\t', '\r', '\n', '"', 'a', ' ', '1', '|'), maxLength: 16 });

describe('CSV export', () => {
  it('quotes every field, so a ; or a tab never splits a cell in a quote-aware reader', () => {
    const text = new TextDecoder().decode(writeCsv(HEADER, hostile.map((h) => [LOCK, h])));
    const parsed = Papa.parse<string[]>(text.slice(1), { delimiter: ',' }).data.filter((r) => r.length > 1);
    expect(parsed.slice(1).map((r) => r[1])).toEqual(hostile.map(escapeFormula));
    for (const line of text.slice(1).split('\r\n').filter((l) => !/^"[0-9a-f-]{36}","/.test(l) && l !== '')) expect(line).not.toMatch(/^[=+\-@]/);
    expect(text).toContain(`"${LOCK}","B-07;'=cmd|' /C calc'!A0"`);
  });

  it.each([';', ',', '\t'])('leaves no part that starts a formula even for a reader splitting at %j and ignoring quotes', (sep) => {
    fc.assert(
      fc.property(fc.array(cellText, { minLength: 1, maxLength: 5 }), (cells) => {
        const text = new TextDecoder().decode(writeCsv(HEADER, cells.map((c) => [LOCK, c])));
        for (const c of naiveCells(text.slice(1), sep)) expect(c).not.toMatch(formulaStart);
      }),
      { numRuns: 300 },
    );
  });

  it('imports every exported name exactly as it was (property)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.oneof(cellText, fc.constantFrom(...hostile)), { minLength: 1, maxLength: 6 }), async (names) => {
        const rows = names.map((n) => [LOCK, `u${n}`]);
        const table = await readTable(writeCsv(HEADER, rows), 'csv');
        expect(table.rows.map((r) => r.cells)).toEqual(rows);
      }),
      { numRuns: 200 },
    );
  });

  it('escape and unescape are inverse on any text', () => {
    fc.assert(fc.property(cellText, (c) => {
        expect(unescapeFormula(escapeFormula(c))).toBe(c);
      }), { numRuns: 2000 });
  });
});
