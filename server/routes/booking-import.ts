/**
 * The bookings file import of a location (the manager's CSV/XLSX export): its column mapping,
 * remembered per location, and the import itself (dry run by default, all-or-nothing apply).
 * The file is the request body (no multipart), as for mapping files (routes/mapping-files.ts).
 */
import { createRoute, z } from '@hono/zod-openapi';
import { and, eq } from 'drizzle-orm';
import { bookingImportReportSchema, bookingImportSettingsSchema } from '../../lib/booking-file.ts';
import { FILE_CONTENT_TYPES, MAX_IMPORT_ROWS } from '../../lib/mapping-file.ts';
import { recordAudit } from '../audit.ts';
import { importBookings, rememberedSettings, rememberSettings } from '../bulk/booking-import.ts';
import { readTable } from '../bulk/table-read.ts';
import { UPLOAD_MIB as MiB, readUpload, uploadBody, uploadLimit } from '../bulk/upload.ts';
import { locations } from '../db/schema/index.ts';
import { ApiError } from '../errors.ts';
import type { DbOrTx } from '../outbox/outbox.ts';
import { createRouter } from '../router.ts';
import { tapkeyNow } from '../tapkey/config.ts';
import { booleanQuery, ErrorBody, errors, json, jsonBody, openapi } from './openapi.ts';

/** app.ts exempts this path from the general 1 MiB body cap (the import has its own). */
export const isBookingImportPath = (path: string) => /^\/v1\/locations\/[^/]+\/bookings\/import$/.test(path);

const tags = ['Bookings & Tapkey access'];
const params = z.object({ id: z.string().uuid('Not a valid UUID').openapi({ param: { name: 'id', in: 'path' } }) });
const Settings = openapi(bookingImportSettingsSchema, 'BookingImportSettings');

const getSettings = createRoute({
  method: 'get',
  path: '/v1/locations/{id}/bookings/import-settings',
  tags,
  summary: 'The remembered column mapping of the location bookings file',
  request: { params },
  responses: { 200: json(Settings, 'The mapping'), ...errors(400, 401, 404) },
});

const putSettings = createRoute({
  method: 'put',
  path: '/v1/locations/{id}/bookings/import-settings',
  tags,
  summary: 'Remember which column of the bookings file holds which field',
  description:
    'Columns are matched by header, ignoring case and spacing. Required: `externalId` (the manager booking id), `unitExternalId`, `moveIn`. ' +
    '`stateLabels` maps the file status words to booking states; `dateOrder` reads ambiguous numeric dates.',
  request: { params, ...jsonBody(Settings) },
  responses: { 200: json(Settings, 'Remembered'), ...errors(400, 401, 404) },
});

const importRoute = createRoute({
  method: 'post',
  path: '/v1/locations/{id}/bookings/import',
  tags,
  summary: 'Import the manager bookings export into a location (dry run by default)',
  description:
    `Send the CSV or XLSX file itself as the body (Content-Type \`${FILE_CONTENT_TYPES.csv}\` or \`${FILE_CONTENT_TYPES.xlsx}\`), at most ${MiB} MiB and ` +
    `${MAX_IMPORT_ROWS.toLocaleString('en')} rows. The first non-blank row holds the headers; the location's remembered column mapping says which is which ` +
    '(without one, common English and German headers are recognised). Bookings are upserted by the manager booking id with the intake rules; ' +
    'units must exist in this location. Every row is reported as `create`, `change`, `unchanged` or `error` with its problems. ' +
    '`dryRun=false` applies all rows in one transaction and remembers the mapping; if any row is an error nothing is written and the answer is 422 with the report in `details`.',
  request: {
    params,
    query: z.object({ dryRun: booleanQuery.default(true).openapi({ description: '`true` (default): report only. `false`: apply all rows or none' }) }),
    body: uploadBody,
  },
  middleware: [uploadLimit()] as const,
  responses: {
    200: json(openapi(bookingImportReportSchema, 'BookingImportReport'), 'The row-by-row report (dry run, or applied)'),
    ...errors(400, 401, 404),
    413: json(ErrorBody, `File larger than ${MiB} MiB or more than ${MAX_IMPORT_ROWS.toLocaleString('en')} rows`),
    422: json(ErrorBody, 'Unknown columns, an unreadable file, or (when applying) rows with errors: `details` is the report and nothing was written'),
  },
});

async function ownLocation(db: DbOrTx, organizationId: string, id: string) {
  const [row] = await db.select({ id: locations.id }).from(locations).where(and(eq(locations.organizationId, organizationId), eq(locations.id, id)));
  if (!row) throw new ApiError('not_found', `Location ${id} not found`);
}

export const bookingImportRouter = createRouter()
  .openapi(getSettings, async (c) => {
    const { id } = c.req.valid('param');
    const { db } = c.get('deps').database;
    await ownLocation(db, c.get('organizationId'), id);
    const settings = await rememberedSettings(db, c.get('organizationId'), id);
    if (!settings) throw new ApiError('not_found', 'No column mapping remembered for this location yet: set one, or import a file with common headers');
    return c.json(bookingImportSettingsSchema.parse(settings), 200);
  })
  .openapi(putSettings, async (c) => {
    const { id } = c.req.valid('param');
    const settings = c.req.valid('json');
    const organizationId = c.get('organizationId');
    await c.get('deps').database.db.transaction(async (tx) => {
      await ownLocation(tx, organizationId, id);
      await rememberSettings(tx, organizationId, id, settings);
      await recordAudit(tx, { organizationId, actor: c.get('actor'), action: 'bookings.import_settings_saved', entity: 'location', entityId: id, after: settings });
    });
    return c.json(settings, 200);
  })
  .openapi(importRoute, async (c) => {
    const { id } = c.req.valid('param');
    const { dryRun } = c.req.valid('query');
    const deps = c.get('deps');
    const organizationId = c.get('organizationId');
    await ownLocation(deps.database.db, organizationId, id);
    const { bytes, format } = await readUpload(c, { checkType: false });
    const table = await readTable(bytes, format);
    const report = await importBookings(deps.database.db, table, { organizationId, locationId: id, actor: c.get('actor'), now: tapkeyNow(deps), dryRun });
    if (report.applied && report.create + report.change > 0) deps.kickOutbox?.();
    return c.json(report, 200);
  });
