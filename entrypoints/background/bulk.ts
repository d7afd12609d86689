/**
 * Bulk mapping files for the options page: downloads (mappings, or every known lock) and the
 * import's dry run and all-or-nothing apply. Files cross the message channel as base64 (it
 * carries JSON only); the API token stays here.
 */
import { fromBase64, toBase64 } from '../../lib/base64.ts';
import { errorBodySchema } from '../../lib/contract.ts';
import type { Handlers } from '../../lib/messages.ts';
import { FILE_CONTENT_TYPES, importReportSchema, MAX_IMPORT_BYTES, type ImportReport } from '../../lib/mapping-file.ts';
import { ApiCallError } from './api-client.ts';
import type { ManagerDeps } from './manager.ts';

/** A dry run of 20,000 rows takes seconds on the server, far beyond the client's usual 10 s. */
const IMPORT_TIMEOUT_MS = 120_000;

/** `attachment; filename="accessbridge-mappings-2026-01-31.csv"` → the file name. */
function fileNameOf(disposition: string | null, fallback: string): string {
  return /filename="?([^";]+)"?/i.exec(disposition ?? '')?.[1] ?? fallback;
}

const tooLarge = (bytes: number) =>
  new ApiCallError({
    kind: 'api',
    status: 413,
    code: 'payload_too_large',
    message: `The file is ${(bytes / 1024 / 1024).toFixed(1)} MiB; at most ${MAX_IMPORT_BYTES / 1024 / 1024} MiB can be imported. Split it into several files.`,
    fieldErrors: [],
  });

export function createBulkHandlers({ withApi }: Pick<ManagerDeps, 'withApi'>): Pick<Handlers, 'exportMappingFile' | 'importMappingFile'> {
  return {
    async exportMappingFile({ what, format }) {
      const path = what === 'mappings' ? 'v1/mappings/export' : 'v1/locks/export';
      return withApi(async (client) => {
        const res = await client.raw((http) => http.get(path, { searchParams: { format }, timeout: IMPORT_TIMEOUT_MS }));
        const bytes = new Uint8Array(await res.arrayBuffer());
        return {
          fileName: fileNameOf(res.headers.get('content-disposition'), `accessbridge-${what}.${format}`),
          contentType: FILE_CONTENT_TYPES[format],
          base64: toBase64(bytes),
        };
      });
    },

    async importMappingFile({ fileName, base64, dryRun, replace }) {
      const bytes = fromBase64(base64);
      if (bytes.length > MAX_IMPORT_BYTES) throw tooLarge(bytes.length);
      // The server recognises the format from the bytes; the type only has to be an accepted one.
      const contentType = /\.xlsx$/i.test(fileName) ? FILE_CONTENT_TYPES.xlsx : FILE_CONTENT_TYPES.csv;
      return withApi(async (client) => {
        const res = await client.raw((http) =>
          http.post('v1/mappings/import', {
            searchParams: { dryRun: String(dryRun), replace: String(replace) },
            body: bytes as Uint8Array<ArrayBuffer>,
            headers: { 'Content-Type': contentType },
            timeout: IMPORT_TIMEOUT_MS,
            // Applying twice is harmless, but a long import must not be sent three times.
            retry: 0,
            // A 422 may carry the report (rows with errors, nothing written): read it below.
            throwHttpErrors: (status) => status !== 422,
          }),
        );
        // Wrong headers or an unreadable file: the API says which in words.
        return importAnswer(res, 'The file could not be read.');
      });
    },
  };
}

/**
 * An import's answer (the mapping file, the mapping proposal): the report, or, on 422, the
 * report of the rows with errors (`rejected`: nothing was written) or the API's reason.
 */
export async function importAnswer(res: Response, unreadable: string): Promise<{ report: ImportReport; rejected: boolean }> {
  const body: unknown = await res.json().catch(() => undefined);
  if (res.status !== 422) {
    const report = importReportSchema.safeParse(body);
    if (!report.success) throw new ApiCallError({ kind: 'invalid_response', message: 'The API answered with an unexpected report.', status: res.status, fieldErrors: [] });
    return { report: report.data, rejected: false };
  }
  const error = errorBodySchema.safeParse(body);
  const report = importReportSchema.safeParse(error.success ? error.data.details : undefined);
  if (report.success) return { report: report.data, rejected: true };
  throw new ApiCallError({
    kind: 'api',
    status: 422,
    code: 'unprocessable',
    message: error.success ? error.data.error.message : unreadable,
    fieldErrors: error.success ? error.data.fieldErrors : [],
  });
}
