/**
 * The background's mapping proposal handlers against the real API (real HTTP): the proposal
 * with corrections, the download as base64, and the apply with its dry run, the refused apply
 * (422 with the report, nothing written) and the applied one. The token never leaves here.
 */
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createMappingProposalHandlers } from '../../entrypoints/background/mapping-proposal.ts';
import { createBackgroundService } from '../../entrypoints/background/service.ts';
import { fromBase64 } from '../../lib/base64.ts';
import type { HandlerContext } from '../../lib/messages.ts';
import { locations, locks, units } from '../../server/db/schema/index.ts';
import { startTestApi, type TestApi } from '../helpers/api.ts';

const ctx: HandlerContext = { kind: 'extension-page', url: 'chrome-extension://test-extension-id/admin.html' };
const L = (n: number) => `ea610634-4fc0-4084-85b2-bebf52c3${String(n).padStart(4, '0')}`;

let api: TestApi;
let locationId: string;
const unitIds: string[] = [];

beforeAll(async () => {
  api = await startTestApi();
  const { db } = api.database;
  const [loc] = await db.insert(locations).values({ organizationId: api.orgId, name: 'Site' }).returning();
  locationId = loc!.id;
  const rows = await db
    .insert(units)
    .values([1, 2, 3].map((n) => ({ organizationId: api.orgId, externalId: `U${n}`, name: `A-0${n}`, locationId })))
    .returning({ id: units.id });
  unitIds.push(...rows.map((r) => r.id));
  await db.insert(locks).values([1, 2, 3].map((n) => ({ organizationId: api.orgId, id: L(n), title: `Unit A-0${n}`, source: 'tapkey' as const, locationId })));
});
afterAll(() => api?.close());
beforeEach(() => fakeBrowser.reset());

async function handlers() {
  const service = createBackgroundService({ version: 'test', client: { retries: 0, timeoutMs: 5000 } });
  await service.handlers.saveSettings({ type: 'saveSettings', apiUrl: api.url, token: api.token }, ctx);
  return createMappingProposalHandlers(service);
}

describe('mapping proposal handlers', () => {
  it('fetches the proposal with corrections and the download', async () => {
    const h = await handlers();
    const p = await h.mappingProposal({ type: 'mappingProposal', locationId, corrections: [{ unitId: unitIds[0]!, lockId: null }] }, ctx);
    expect(p.totals).toMatchObject({ units: 3, confirmed: 1, high: 2 });
    const file = await h.mappingProposalFile({ type: 'mappingProposalFile', locationId, format: 'csv', corrections: [] }, ctx);
    expect(file.fileName).toMatch(/^accessbridge-mapping-proposal-\d{4}-\d{2}-\d{2}\.csv$/);
    expect(new TextDecoder().decode(fromBase64(file.base64))).toContain(`"${L(1)}","A-01","high"`);
  });

  it('answers a refused apply with the report (nothing written), and an accepted one with the applied report', async () => {
    const h = await handlers();
    // The same lock twice: both rows are errors, so nothing is written.
    const bad = await h.applyMappingProposal(
      {
        type: 'applyMappingProposal',
        locationId,
        rows: [
          { unitId: unitIds[0]!, lockId: L(1), replace: false },
          { unitId: unitIds[1]!, lockId: L(1), replace: false },
        ],
        dryRun: false,
      },
      ctx,
    );
    expect(bad.rejected).toBe(true);
    expect(bad.report.rows.map((r) => r.problems.map((p) => p.code))).toEqual([['duplicate_lock'], ['duplicate_lock']]);
    expect((await api.json('GET', '/v1/mappings')).body.total).toBe(0);

    const rows = [1, 2, 3].map((n, i) => ({ unitId: unitIds[i]!, lockId: L(n), replace: false }));
    const dry = await h.applyMappingProposal({ type: 'applyMappingProposal', locationId, rows, dryRun: true }, ctx);
    expect(dry).toMatchObject({ rejected: false, report: { dryRun: true, totals: { create: 3 } } });
    const done = await h.applyMappingProposal({ type: 'applyMappingProposal', locationId, rows, dryRun: false }, ctx);
    expect(done).toMatchObject({ rejected: false, report: { applied: true, totals: { create: 3 } } });
    expect((await api.json('GET', '/v1/mappings')).body.total).toBe(3);
  });

  it('says so when the location is not the organization’s', async () => {
    const h = await handlers();
    const error = await h.mappingProposal({ type: 'mappingProposal', locationId: L(99), corrections: [] }, ctx).catch((e: unknown) => e);
    expect((error as { info: { status: number; code: string } }).info).toMatchObject({ status: 404, code: 'not_found' });
  });
});
