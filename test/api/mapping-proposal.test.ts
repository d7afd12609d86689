/**
 * The mapping proposal through real HTTP on the sandbox location: the whole demo site proposed,
 * corrected, downloaded and imported back, and applied through the mapping file import (dry
 * run, all-or-nothing, audit, and the Tapkey grant of an active booking following).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importReportSchema } from '../../lib/mapping-file.ts';
import { mappingProposalSchema, type MappingProposal } from '../../lib/mapping-proposal-schema.ts';
import { proposalRows } from '../../lib/mapping-proposal.ts';
import { demoLocks, demoUnits, stableUuid } from '../../sandbox/demo-data.ts';
import { xlsxRows } from '../bulk/fixtures.ts';
import { createLocation, grantState, lockOfUnit, setupUnits, startTapkeyWorld, type TapkeyTestWorld } from '../tapkey/helpers.ts';

let w: TapkeyTestWorld;
let locationId: string;
let otherLocationId: string;
const units = demoUnits(48);
const shared = demoLocks(units).slice(units.length);
const path = () => `/v1/locations/${locationId}/mapping-proposal`;

beforeAll(async () => {
  w = await startTapkeyWorld();
  locationId = await createLocation(w.api);
  expect((await w.api.json('POST', `/v1/locations/${locationId}/tapkey/import-locks`)).status).toBe(200);
  await setupUnits(w.api, locationId, units, { map: false });
  // Another site of the organization with the same unit names: never mixed in.
  otherLocationId = (await w.api.json('POST', '/v1/locations', { name: 'Hamburg' })).body.id;
  await setupUnits(w.api, otherLocationId, units.slice(0, 3), { map: false, prefix: 'HH-' });
}, 60_000);
afterAll(() => w?.close());

const unitId = async (externalId: string) => (await w.api.json('GET', `/v1/units/${externalId}`)).body.id as string;

describe('GET the proposal', () => {
  let p: MappingProposal;
  beforeAll(async () => {
    const res = await w.api.json('GET', path());
    expect(res.status).toBe(200);
    p = mappingProposalSchema.parse(res.body);
  });

  it('proposes every demo unit its own lock with high confidence, and the shared doors to nobody', () => {
    expect(p.groups.map((g) => g.confidence)).toEqual(['confirmed', 'high', 'medium', 'low']);
    expect(p.totals).toMatchObject({ units: 48, locks: 51, high: 48, medium: 0, low: 0, confirmed: 0, locksLeft: 3 });
    const rows = proposalRows(p);
    for (const u of units) expect(rows.find((r) => r.unit.externalId === u.externalId)?.lock?.id).toBe(lockOfUnit(u));
    expect(new Set(rows.map((r) => r.lock!.id)).size).toBe(48);
    expect(rows.every((r) => !shared.some((s) => s.id === r.lock!.id))).toBe(true);
    // The evidence names the matched parts: "Unit A-01" holds "a" and "1" of "A-01".
    const a01 = rows.find((r) => r.unit.name === 'A-01')!;
    expect(a01.evidence).toMatchObject({ kind: 'exact', matched: ['a', '1'] });
  });

  it('answers 404 for an unknown location and for another organization’s', async () => {
    expect((await w.api.json('GET', `/v1/locations/${stableUuid('nowhere')}/mapping-proposal`)).status).toBe(404);
    const other = await w.api.newOrg();
    expect((await w.api.json('GET', path(), undefined, { token: other.token })).status).toBe(404);
    expect((await w.api.json('GET', path(), undefined, { token: null })).status).toBe(401);
  });
});

describe('POST with corrections', () => {
  it('fixes the corrected rows, takes skipped units out, and proposes the rest again', async () => {
    const a01 = await unitId('U1000');
    const a02 = await unitId('U1001');
    const entrance = shared[0]!.id;
    const res = await w.api.json('POST', path(), { corrections: [{ unitId: a01, lockId: entrance }, { unitId: a02, lockId: null }] });
    expect(res.status).toBe(200);
    const p = mappingProposalSchema.parse(res.body);
    expect(p.groups[0]!.rows.map((r) => [r.unit.name, r.lock?.id ?? null, r.reason])).toEqual([
      ['A-01', entrance, 'confirmed'],
      ['A-02', null, 'skipped'],
    ]);
    expect(p.totals).toMatchObject({ confirmed: 2, high: 46 });
    // A-01's own lock and A-02's are left for a person, never given to another unit.
    const proposed = new Set(proposalRows(p).flatMap((r) => (r.lock ? [r.lock.id] : [])));
    expect(proposed.has(lockOfUnit(units[0]!))).toBe(false);
    expect(proposed.has(lockOfUnit(units[1]!))).toBe(false);
  });

  it('ignores corrections naming units of other locations and refuses malformed ones', async () => {
    const hh = await unitId('HH-U1000');
    const ok = await w.api.json('POST', path(), { corrections: [{ unitId: hh, lockId: shared[0]!.id }] });
    expect(ok.status).toBe(200);
    expect(ok.body.totals).toMatchObject({ confirmed: 0, high: 48 });
    const bad = await w.api.json('POST', path(), { corrections: [{ unitId: 'A-01', lockId: 'x' }] });
    expect(bad.status).toBe(400);
    expect(bad.body.fieldErrors.map((f: { path: string }) => f.path).sort()).toEqual(['corrections.0.lockId', 'corrections.0.unitId']);
  });
});

describe('download and import back', () => {
  it('gives the mapping file plus confidence as CSV, which the import takes back for this location', async () => {
    const res = await w.api.fetch(`${path()}/file?format=csv`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toMatch(/attachment; filename="accessbridge-mapping-proposal-\d{4}-\d{2}-\d{2}\.csv"/);
    const bytes = new Uint8Array(await res.arrayBuffer());
    const lines = new TextDecoder().decode(bytes).replace(/^\ufeff/, '').trim().split('\r\n');
    // Every field quoted (the export's guard against formulas, server/bulk/table-write.ts).
    expect(lines[0]).toBe('"Tapkey Lock ID","Kinnovis Unit Name","Confidence"');
    expect(lines).toHaveLength(49);
    expect(lines).toContain(`"${lockOfUnit(units[0]!)}","A-01","high"`);
    // Unit names repeat in the other location: without `locationId` the names are ambiguous.
    const anywhere = await w.api.fetch('/v1/mappings/import?dryRun=true', { method: 'POST', body: bytes, headers: { 'content-type': 'text/csv' } });
    const r0 = importReportSchema.parse(await anywhere.json());
    expect(r0.rows.find((r) => r.unitName === 'A-01')?.problems.map((x) => x.code)).toEqual(['ambiguous_unit']);
    const here = await w.api.fetch(`/v1/mappings/import?dryRun=true&locationId=${locationId}`, { method: 'POST', body: bytes, headers: { 'content-type': 'text/csv' } });
    expect(here.status).toBe(200);
    expect(importReportSchema.parse(await here.json()).totals).toEqual({ rows: 48, create: 48, unchanged: 0, replace: 0, error: 0 });
  });

  it('gives XLSX with the corrections applied', async () => {
    const a01 = await unitId('U1000');
    const res = await w.api.fetch(`${path()}/file?format=xlsx`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ corrections: [{ unitId: a01, lockId: shared[1]!.id }] }),
    });
    expect(res.status).toBe(200);
    const bytes = await res.arrayBuffer();
    const rows = await xlsxRows(bytes);
    expect(rows[0]).toEqual(['Tapkey Lock ID', 'Kinnovis Unit Name', 'Confidence']);
    expect(rows[1]).toEqual([shared[1]!.id, 'A-01', 'confirmed']);
    expect(rows).toHaveLength(49);
    const back = await w.api.fetch(`/v1/mappings/import?dryRun=true&locationId=${locationId}`, {
      method: 'POST',
      body: new Uint8Array(bytes),
      headers: { 'content-type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' },
    });
    expect(importReportSchema.parse(await back.json()).totals).toMatchObject({ create: 48, error: 0 });
  });

  it('refuses an import scoped to a location of another organization', async () => {
    const other = await w.api.newOrg();
    const res = await w.api.fetch(`/v1/mappings/import?locationId=${locationId}`, {
      method: 'POST',
      body: 'Tapkey Lock ID,Kinnovis Unit Name\r\n',
      headers: { 'content-type': 'text/csv', authorization: `Bearer ${other.token}` },
    });
    expect(res.status).toBe(400);
    expect((await res.json()).fieldErrors).toEqual([{ path: 'locationId', message: 'No such location in your organization' }]);
  });
});

describe('apply', () => {
  it('dry run reports without writing; applying writes all, audits once, and the active booking gets its grant', async () => {
    const booking = await w.api.json('PUT', '/v1/bookings/B1', { unitExternalId: 'U1000', tenantEmail: 'anna@example.com', moveIn: '2026-03-01', state: 'active' });
    expect(booking.status).toBe(201);
    const p = mappingProposalSchema.parse((await w.api.json('GET', path())).body);
    const rows = p.groups.find((g) => g.confidence === 'high')!.rows.map((r) => ({ unitId: r.unit.id, lockId: r.lock!.id }));

    const dry = await w.api.json('POST', `${path()}/apply`, { rows });
    expect(dry.status).toBe(200);
    expect(importReportSchema.parse(dry.body)).toMatchObject({ dryRun: true, applied: false, totals: { rows: 48, create: 48, error: 0 } });
    expect((await w.api.json('GET', `/v1/mappings?locationId=${locationId}`)).body.total).toBe(0);

    const applied = await w.api.json('POST', `${path()}/apply`, { rows, dryRun: false });
    expect(applied.status).toBe(200);
    expect(applied.body).toMatchObject({ applied: true, totals: { create: 48 } });
    expect((await w.api.json('GET', `/v1/mappings?locationId=${locationId}`)).body.total).toBe(48);
    const audit = await w.api.json('GET', `/v1/audit-events?entity=mapping_import&entityId=${applied.body.importId}`);
    expect(audit.body.items).toHaveLength(1);
    expect(audit.body.items[0]).toMatchObject({ action: 'mappings.imported', after: { source: 'mapping_proposal', locationId, totals: { create: 48 } } });
    await grantState(w.api, 'B1', 'active', lockOfUnit(units[0]!));

    // Nothing is left to propose.
    expect((await w.api.json('GET', path())).body.totals).toMatchObject({ units: 0, high: 0 });
  });

  it('never replaces without the row’s tick, and applies nothing when a row fails', async () => {
    const a01 = await unitId('U1000');
    const a03 = await unitId('U1002');
    const rows = [
      { unitId: a01, lockId: shared[0]!.id },
      // A-03 takes A-04's lock: a replace.
      { unitId: a03, lockId: lockOfUnit(units[3]!) },
    ];
    const refused = await w.api.json('POST', `${path()}/apply`, { rows: [{ ...rows[0], replace: true }, rows[1]], dryRun: false });
    expect(refused.status).toBe(422);
    const report = importReportSchema.parse(refused.body.details);
    expect(report.rows.map((r) => [r.action, r.problems.map((x) => x.code)])).toEqual([
      ['replace', []],
      ['error', ['conflict']],
    ]);
    const mapped = await w.api.json('GET', '/v1/mappings?unitExternalId=U1000');
    expect(mapped.body.items[0].lockId).toBe(lockOfUnit(units[0]!));

    const ticked = await w.api.json('POST', `${path()}/apply`, { rows: rows.map((r) => ({ ...r, replace: true })), dryRun: false });
    expect(ticked.status).toBe(200);
    expect(ticked.body.totals).toMatchObject({ replace: 2, error: 0 });
    expect((await w.api.json('GET', '/v1/mappings?unitExternalId=U1000')).body.items[0].lockId).toBe(shared[0]!.id);
    // The booking's grant follows its unit to the new lock.
    await grantState(w.api, 'B1', 'active', shared[0]!.id);
  });

  it('refuses rows naming units of another location, and empty or malformed requests', async () => {
    const hh = await unitId('HH-U1000');
    const res = await w.api.json('POST', `${path()}/apply`, { rows: [{ unitId: hh, lockId: shared[2]!.id }] });
    expect(res.status).toBe(400);
    expect(res.body.fieldErrors).toEqual([{ path: 'rows.0.unitId', message: 'No such unit in this location' }]);
    expect((await w.api.json('POST', `${path()}/apply`, { rows: [] })).status).toBe(400);
    expect((await w.api.json('POST', `/v1/locations/${otherLocationId}/mapping-proposal/apply`, { rows: [{ unitId: hh, lockId: 'nope' }] })).status).toBe(400);
  });
});
