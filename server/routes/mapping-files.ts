/**
 * Bulk mapping files (CSV and XLSX) with exactly the seed's columns `Tapkey Lock ID` and
 * `Kinnovis Unit Name`: export the current mappings, import with a row-by-row dry run and an
 * all-or-nothing apply, and export every known lock (the lock-ID export Tapkey lacks).
 * The import takes the file itself as the request body (no multipart).
 */
import { createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import {
  FILE_CONTENT_TYPES,
  fileFormatSchema,
  importReportSchema,
  LOCK_EXPORT_HEADERS,
  MAPPING_FILE_HEADERS,
  MAX_IMPORT_ROWS,
  type FileFormat,
} from '../../lib/mapping-file.ts';
import type { AppEnv } from '../env.ts';
import { lockExportRows, mappingExportRows } from '../bulk/exports.ts';
import { importMappingFile } from '../bulk/mapping-import.ts';
import { importGate, parsePool } from '../bulk/parse-pool.ts';
import { readUpload, UPLOAD_MIB as MiB, uploadBody, uploadLimit } from '../bulk/upload.ts';
import { writeTable } from '../bulk/table-write.ts';
import { ApiError } from '../errors.ts';
import { findLocation } from '../resources.ts';
import { createRouter } from '../router.ts';
import { booleanQuery, ErrorBody, errors, json, openapi } from './openapi.ts';

/** The import has its own size cap; app.ts exempts this path from the general 1 MiB one. */
export const MAPPING_IMPORT_PATH = '/v1/mappings/import';

const tags = ['Mapping files'];
const formatQuery = z.object({
  format: openapi(fileFormatSchema.default('csv'), { description: '`csv` (UTF-8 with BOM, comma-separated) or `xlsx`' }),
});

const fileResponse = (description: string) => ({
  description,
  content: {
    [FILE_CONTENT_TYPES.csv]: { schema: z.string().openapi({ format: 'binary' }) },
    [FILE_CONTENT_TYPES.xlsx]: { schema: z.string().openapi({ format: 'binary' }) },
  },
});

const exportMappings = createRoute({
  method: 'get',
  path: '/v1/mappings/export',
  tags,
  summary: 'Download the current mappings as a mapping file',
  description: `Exactly two columns, \`${MAPPING_FILE_HEADERS.join('`, `')}\`, one row per mapping, ordered by unit name. The file imports back unchanged.`,
  request: { query: formatQuery },
  responses: { 200: fileResponse('The mapping file (Content-Disposition: attachment)'), ...errors(400, 401) },
});

const exportLocks = createRoute({
  method: 'get',
  path: '/v1/locks/export',
  tags,
  summary: 'Download every known lock with its mapped unit',
  description:
    `Columns \`${LOCK_EXPORT_HEADERS.join('`, `')}\`: locks imported from Tapkey and captured from its portal, ordered by title. ` +
    'Fill in unit names for unmapped locks, delete the columns after the first two, and import the file as a mapping file.',
  request: { query: formatQuery },
  responses: { 200: fileResponse('The lock list (Content-Disposition: attachment)'), ...errors(400, 401) },
});

const importRoute = createRoute({
  method: 'post',
  path: MAPPING_IMPORT_PATH,
  tags,
  summary: 'Import a mapping file (dry run by default)',
  description:
    `Send the file itself as the body, with Content-Type \`${FILE_CONTENT_TYPES.csv}\` or \`${FILE_CONTENT_TYPES.xlsx}\` ` +
    '(`application/vnd.ms-excel`, `text/plain` and `application/octet-stream` are accepted too; the format is recognised from the bytes). ' +
    `At most ${MiB} MiB and ${MAX_IMPORT_ROWS.toLocaleString('en')} rows. The first non-blank row must hold exactly the headers ` +
    `\`${MAPPING_FILE_HEADERS.join('` and `')}\` (any order, case and spacing ignored). CSV may use \`,\`, \`;\` or tabs, and UTF-8 (with or without BOM), ` +
    'UTF-16 or Windows-1252 text; XLSX is read from its first visible sheet.\n\n' +
    'A `Confidence` column (as in the mapping proposal download) is read past. ' +
    'Each row is reported as `create`, `unchanged`, `replace` or `error` with reasons: empty row, values outside the two columns, missing or bad lock ID, ' +
    'lock not known (capture or import it first), unknown or ambiguous unit name (units are matched by name within the organization), ' +
    'lock or unit repeated in the file, conflict with an existing mapping (unless `replace=true`).\n\n' +
    '`dryRun=true` (default) only reports. `dryRun=false` applies every row in one transaction and answers the report with `applied: true`; ' +
    'if any row is an error nothing is written and the answer is 422 with the report in `details`.',
  request: {
    query: z.object({
      dryRun: booleanQuery.default(true).openapi({ description: '`true` (default): report only. `false`: apply all rows or none' }),
      replace: booleanQuery.default(false).openapi({ description: '`true`: move locks and units already mapped elsewhere instead of reporting a conflict' }),
      locationId: z
        .string()
        .uuid('Not a valid UUID')
        .optional()
        .openapi({ description: "Match unit names among this location's units only (when several sites use the same names)" }),
    }),
    body: uploadBody,
  },
  middleware: [uploadLimit()] as const,
  responses: {
    200: json(openapi(importReportSchema, 'MappingImportReport'), 'The row-by-row report (dry run, or applied)'),
    ...errors(400, 401),
    429: json(ErrorBody, 'An import for this organization is still running (Retry-After)'),
    503: json(ErrorBody, 'The server is reading as many large files as it reads at once (Retry-After)'),
    413: json(ErrorBody, `File larger than ${MiB} MiB, more than ${MAX_IMPORT_ROWS.toLocaleString('en')} rows, or a workbook that unpacks to too much`),
    415: json(ErrorBody, 'Not a CSV or XLSX upload (e.g. multipart form data or JSON)'),
    422: json(ErrorBody, 'Wrong headers, an unreadable file, or (when applying) rows with errors: `details` is the report and nothing was written'),
  },
});

function download(c: Context<AppEnv>, format: FileFormat, name: string, bytes: Uint8Array) {
  const date = new Date().toISOString().slice(0, 10);
  return c.body(bytes as Uint8Array<ArrayBuffer>, 200, {
    'Content-Type': format === 'csv' ? `${FILE_CONTENT_TYPES.csv}; charset=utf-8` : FILE_CONTENT_TYPES.xlsx,
    'Content-Disposition': `attachment; filename="accessbridge-${name}-${date}.${format}"`,
    'Cache-Control': 'no-store',
  });
}

export const mappingFilesRouter = createRouter()
  .openapi(exportMappings, async (c) => {
    const { format } = c.req.valid('query');
    const rows = await mappingExportRows(c.get('deps').database.db, c.get('organizationId'));
    return download(c, format, 'mappings', await writeTable(format, 'Mappings', MAPPING_FILE_HEADERS, rows));
  })
  .openapi(exportLocks, async (c) => {
    const { format } = c.req.valid('query');
    const rows = await lockExportRows(c.get('deps').database.db, c.get('organizationId'));
    return download(c, format, 'locks', await writeTable(format, 'Locks', LOCK_EXPORT_HEADERS, rows));
  })
  .openapi(importRoute, async (c) => {
    const { dryRun, replace, locationId } = c.req.valid('query');
    if (locationId && !(await findLocation(c.get('deps').database.db, c.get('organizationId'), locationId)))
      throw new ApiError('validation_failed', 'Some fields are not valid', [{ path: 'locationId', message: 'No such location in your organization' }]);
    const { bytes, format } = await readUpload(c, { checkType: true });
    // One import per organization at a time; large files are read off the request thread.
    const leave = importGate.enter(c.get('organizationId'));
    try {
      const report = await importMappingFile(c.get('deps').database.db, bytes, () => parsePool.read(bytes, format), {
        organizationId: c.get('organizationId'),
        actor: c.get('actor'),
        dryRun,
        replace,
        ...(locationId ? { locationId } : {}),
      });
      return c.json(report, 200);
    } finally {
      leave();
    }
  });
