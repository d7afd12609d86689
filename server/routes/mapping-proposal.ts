/**
 * A proposed mapping for a whole location (lib/mapping-proposal.ts), recomputed with the
 * operator's corrections, downloadable as the mapping file plus a confidence column, and
 * applied through the mapping file import itself (server/bulk/mapping-import.ts): the chosen
 * rows become that file, so the dry run, the all-or-nothing write, the audit and the grants
 * that follow are the import's.
 */
import { createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { and, asc, eq, inArray, isNull, or, sql } from 'drizzle-orm';
import { FILE_CONTENT_TYPES, fileFormatSchema, importReportSchema, MAPPING_FILE_HEADERS, type FileFormat } from '../../lib/mapping-file.ts';
import { proposalFileRows, proposeMapping } from '../../lib/mapping-proposal.ts';
import {
  applyProposalInputSchema,
  correctionsInputSchema,
  mappingProposalSchema,
  PROPOSAL_FILE_HEADERS,
  type Correction,
  type MappingProposal,
} from '../../lib/mapping-proposal-schema.ts';
import type { AppEnv } from '../env.ts';
import { importMappings } from '../bulk/mapping-import.ts';
import { readTable } from '../bulk/table-read.ts';
import { writeCsv, writeTable } from '../bulk/table-write.ts';
import type { Db } from '../db/client.ts';
import { locks, mappings, units } from '../db/schema/index.ts';
import { ApiError, notFound } from '../errors.ts';
import { findLocation } from '../resources.ts';
import { createRouter } from '../router.ts';
import { errors, json, jsonBody, ErrorBody, openapi, uuidParam } from './openapi.ts';

const tags = ['Mapping proposal'];
const params = z.object({ id: uuidParam('id') });
const base = '/v1/locations/{id}/mapping-proposal';

const Proposal = openapi(mappingProposalSchema, 'MappingProposal');
const CorrectionsInput = openapi(correctionsInputSchema, 'MappingProposalCorrections');
const ApplyInput = openapi(applyProposalInputSchema, 'MappingProposalApply');

const proposalDescription =
  "Every unit of the location without a lock, against every lock without a unit (the location's and those with no location), by name. " +
  'A lock is proposed only when unit and lock are each other’s best by a clear margin: no lock is proposed twice and ties are left for a person. ' +
  'Rows are grouped by confidence: `confirmed` (the corrections sent), `high` (safe to accept in bulk), `medium` (check it), `low` (no lock proposed: ' +
  '`reason` says why and `alternatives` lists candidates). `evidence` shows which parts of the unit name the lock title holds. `rules` reports the naming learnt ' +
  '(from corrections, or common to the site’s titles, such as a building code before the unit name).';

const getRoute = createRoute({
  method: 'get',
  path: base,
  tags,
  summary: 'Propose a lock for every unmapped unit of a location',
  description: proposalDescription,
  request: { params },
  responses: { 200: json(Proposal, 'The proposal'), ...errors(400, 401, 404) },
});

const postRoute = createRoute({
  method: 'post',
  path: base,
  tags,
  summary: 'Propose again with the operator’s corrections',
  description:
    proposalDescription +
    '\n\nEach correction fixes a unit’s lock (`lockId`), or takes the unit out (`lockId: null`). The naming the corrected pairs show ' +
    '(another word for a block, a code before or after the unit name, an offset in the numbers) is learnt and used for the rest. ' +
    'A correction may name a lock already mapped elsewhere (applying it is then a replace); corrections naming other locations’ units are ignored.',
  request: { params, ...jsonBody(CorrectionsInput) },
  responses: { 200: json(Proposal, 'The proposal'), ...errors(400, 401, 404, 413) },
});

const fileResponse = {
  description: 'The file (Content-Disposition: attachment)',
  content: {
    [FILE_CONTENT_TYPES.csv]: { schema: z.string().openapi({ format: 'binary' }) },
    [FILE_CONTENT_TYPES.xlsx]: { schema: z.string().openapi({ format: 'binary' }) },
  },
};
const fileDescription =
  `Columns \`${PROPOSAL_FILE_HEADERS.join('`, `')}\`: the mapping file’s two columns plus the confidence (\`confirmed\`, \`high\` or \`medium\`), one row per proposed pair. ` +
  'Review it in a spreadsheet and import it back with `POST /v1/mappings/import?locationId=…` (the import reads past the confidence column).';
const formatQuery = z.object({ format: openapi(fileFormatSchema.default('csv'), { description: '`csv` (UTF-8 with BOM) or `xlsx`' }) });

const getFileRoute = createRoute({
  method: 'get',
  path: `${base}/file`,
  tags,
  summary: 'Download the proposal as a mapping file with confidence',
  description: fileDescription,
  request: { params, query: formatQuery },
  responses: { 200: fileResponse, ...errors(400, 401, 404) },
});

const postFileRoute = createRoute({
  method: 'post',
  path: `${base}/file`,
  tags,
  summary: 'Download the proposal, with corrections, as a mapping file with confidence',
  description: fileDescription,
  request: { params, query: formatQuery, ...jsonBody(CorrectionsInput) },
  responses: { 200: fileResponse, ...errors(400, 401, 404, 413) },
});

const applyRoute = createRoute({
  method: 'post',
  path: `${base}/apply`,
  tags,
  summary: 'Apply the chosen pairs (dry run by default), as a mapping file import',
  description:
    'The rows become a mapping file of this location and go through `POST /v1/mappings/import`: the same row-by-row report, ' +
    'the same all-or-nothing write with one audit event (`mappings.imported`, `source: mapping_proposal`), and Tapkey grants follow for active bookings. ' +
    'A row that would move a lock or a unit already mapped elsewhere is a conflict unless that row has `replace: true`. ' +
    '`dryRun: true` (default) only reports; with `dryRun: false` any row in error means 422 with the report in `details` and nothing written.',
  request: { params, ...jsonBody(ApplyInput) },
  responses: {
    200: json(openapi(importReportSchema, 'MappingImportReport'), 'The row-by-row report (dry run, or applied)'),
    ...errors(400, 401, 404, 413),
    422: json(ErrorBody, 'Rows with errors (when applying): `details` is the report and nothing was written'),
  },
});

/** The location's open units and the locks that may still be given, then the proposal. */
async function buildProposal(db: Db, organizationId: string, locationId: string, corrections: Correction[]): Promise<MappingProposal> {
  if (!(await findLocation(db, organizationId, locationId))) throw notFound('Location');
  const unitRows = await db
    .select({ id: units.id, externalId: units.externalId, name: units.name })
    .from(units)
    .leftJoin(mappings, and(eq(mappings.organizationId, units.organizationId), eq(mappings.unitId, units.id)))
    .where(and(eq(units.organizationId, organizationId), eq(units.locationId, locationId), isNull(mappings.unitId)))
    .orderBy(asc(units.name), asc(units.id));
  const lockRows = await db
    .select({ id: locks.id, title: locks.title })
    .from(locks)
    .leftJoin(mappings, and(eq(mappings.organizationId, locks.organizationId), eq(mappings.lockId, locks.id)))
    .where(
      and(
        eq(locks.organizationId, organizationId),
        or(eq(locks.locationId, locationId), isNull(locks.locationId)),
        isNull(mappings.lockId),
        // Locks Tapkey no longer lists for the owner account cannot open anything.
        sql`${locks.active} is not false`,
      ),
    )
    .orderBy(asc(locks.title), asc(locks.id));
  // A correction may give a unit a lock that is mapped elsewhere (a replace): it joins the pool.
  const known = new Set(lockRows.map((l) => l.id));
  const extra = [...new Set(corrections.flatMap((c) => (c.lockId && !known.has(c.lockId) ? [c.lockId] : [])))];
  if (extra.length) {
    const more = await db
      .select({ id: locks.id, title: locks.title })
      .from(locks)
      .where(and(eq(locks.organizationId, organizationId), inArray(locks.id, extra)));
    lockRows.push(...more);
  }
  return proposeMapping({ locationId, units: unitRows, locks: lockRows, corrections });
}

function download(c: Context<AppEnv>, format: FileFormat, bytes: Uint8Array) {
  const date = new Date().toISOString().slice(0, 10);
  return c.body(bytes as Uint8Array<ArrayBuffer>, 200, {
    'Content-Type': format === 'csv' ? `${FILE_CONTENT_TYPES.csv}; charset=utf-8` : FILE_CONTENT_TYPES.xlsx,
    'Content-Disposition': `attachment; filename="accessbridge-mapping-proposal-${date}.${format}"`,
    'Cache-Control': 'no-store',
  });
}

const proposalFile = async (p: MappingProposal, format: FileFormat) => writeTable(format, 'Proposal', PROPOSAL_FILE_HEADERS, proposalFileRows(p));

export const mappingProposalRouter = createRouter()
  .openapi(getRoute, async (c) => {
    const p = await buildProposal(c.get('deps').database.db, c.get('organizationId'), c.req.valid('param').id, []);
    return c.json(p, 200);
  })
  .openapi(postRoute, async (c) => {
    const { corrections } = c.req.valid('json');
    const p = await buildProposal(c.get('deps').database.db, c.get('organizationId'), c.req.valid('param').id, corrections);
    return c.json(p, 200);
  })
  .openapi(getFileRoute, async (c) => {
    const { format } = c.req.valid('query');
    const p = await buildProposal(c.get('deps').database.db, c.get('organizationId'), c.req.valid('param').id, []);
    return download(c, format, await proposalFile(p, format));
  })
  .openapi(postFileRoute, async (c) => {
    const { format } = c.req.valid('query');
    const { corrections } = c.req.valid('json');
    const p = await buildProposal(c.get('deps').database.db, c.get('organizationId'), c.req.valid('param').id, corrections);
    return download(c, format, await proposalFile(p, format));
  })
  .openapi(applyRoute, async (c) => {
    const { id } = c.req.valid('param');
    const { rows, dryRun } = c.req.valid('json');
    const organizationId = c.get('organizationId');
    const { db } = c.get('deps').database;
    if (!(await findLocation(db, organizationId, id))) throw notFound('Location');
    // Units are named in the file: each row's unit must be one of this location's.
    const unitIds = [...new Set(rows.map((r) => r.unitId))];
    const found = new Map<string, string>();
    for (let i = 0; i < unitIds.length; i += 1000) {
      const part = await db
        .select({ id: units.id, name: units.name })
        .from(units)
        .where(and(eq(units.organizationId, organizationId), eq(units.locationId, id), inArray(units.id, unitIds.slice(i, i + 1000))));
      for (const u of part) found.set(u.id, u.name);
    }
    const missing = rows.flatMap((r, i) => (found.has(r.unitId) ? [] : [{ path: `rows.${i}.unitId`, message: 'No such unit in this location' }]));
    if (missing.length) throw new ApiError('validation_failed', 'Some fields are not valid', missing.slice(0, 100));
    // The file the import reads: header on row 1, so the chosen rows are rows 2, 3, …
    const bytes = writeCsv(MAPPING_FILE_HEADERS, rows.map((r) => [r.lockId, found.get(r.unitId)!]));
    const table = await readTable(bytes, 'csv');
    const replaceRows = new Set(rows.flatMap((r, i) => (r.replace ? [i + 2] : [])));
    const report = await importMappings(db, table, bytes, {
      organizationId,
      actor: c.get('actor'),
      dryRun,
      replace: replaceRows.size > 0,
      replaceRows,
      locationId: id,
      source: 'mapping_proposal',
    });
    return c.json(report, 200);
  });
