/**
 * The raw-file upload shared by the mapping file import (routes/mapping-files.ts) and the
 * bookings file import (routes/booking-import.ts): the file is the request body itself (no
 * multipart), capped at MAX_IMPORT_BYTES, CSV or XLSX recognised from its bytes.
 */
import { z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { FILE_CONTENT_TYPES, MAX_IMPORT_BYTES, type FileFormat } from '../../lib/mapping-file.ts';
import type { AppEnv } from '../env.ts';
import { ApiError, sendError } from '../errors.ts';
import { detectFormat } from './table-read.ts';

export const UPLOAD_MIB = MAX_IMPORT_BYTES / 1024 / 1024;

/** The OpenAPI request body of an upload route. */
export const uploadBody = {
  required: true,
  description: 'The CSV or XLSX file, raw',
  content: {
    [FILE_CONTENT_TYPES.csv]: { schema: z.string().openapi({ format: 'binary' }) },
    [FILE_CONTENT_TYPES.xlsx]: { schema: z.string().openapi({ format: 'binary' }) },
  },
};

/** The size cap (app.ts exempts upload paths from the general 1 MiB one). */
export const uploadLimit = () =>
  bodyLimit({
    maxSize: MAX_IMPORT_BYTES,
    onError: (c) => {
      // The rest of the body is never read: no client may reuse a socket that still carries it.
      c.header('Connection', 'close');
      return sendError(c, new ApiError('payload_too_large', `The file is larger than ${UPLOAD_MIB} MiB. Split it into several files.`));
    },
  });

const acceptedTypes = new Set([
  FILE_CONTENT_TYPES.csv,
  FILE_CONTENT_TYPES.xlsx,
  'application/csv',
  'text/comma-separated-values',
  'text/plain',
  'text/tab-separated-values',
  // What Windows browsers report for a .csv file.
  'application/vnd.ms-excel',
  'application/octet-stream',
]);

/**
 * The uploaded bytes and their format. With `checkType`, a Content-Type that is not a file
 * upload (multipart form data, JSON …) is a 415 and a CSV labelled XLSX a 422.
 */
export async function readUpload(c: Context<AppEnv>, opts: { checkType: boolean }): Promise<{ bytes: Uint8Array; format: FileFormat }> {
  const contentType = (c.req.header('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  if (opts.checkType && contentType && !acceptedTypes.has(contentType))
    throw new ApiError(
      'bad_request',
      `Send the file itself as the request body with Content-Type ${FILE_CONTENT_TYPES.csv} or ${FILE_CONTENT_TYPES.xlsx}, not ${contentType}.`,
      [],
      undefined,
      415,
    );
  const bytes = new Uint8Array(await c.req.arrayBuffer());
  if (bytes.length === 0) throw new ApiError('unprocessable', 'The file is empty.');
  const format = detectFormat(bytes);
  if (opts.checkType && format === 'csv' && contentType === FILE_CONTENT_TYPES.xlsx)
    throw new ApiError('unprocessable', 'The file is labelled XLSX but is not a workbook. Save it again from Excel as “Excel Workbook (.xlsx)” or as CSV.');
  return { bytes, format };
}
