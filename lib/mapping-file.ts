/**
 * The bulk mapping file: the exact two-column layout of the Excel list Kinnovis support takes
 * for the Tapkey mapping (`Tapkey Lock ID`, `Kinnovis Unit Name`), the limits, and the import
 * report the API answers and the options page shows row by row. Shared by the server and the
 * extension.
 */
import { z } from 'zod';
import { translate, type Language, type MessageKey } from './i18n/index.ts';

/** The file's columns, in this order on export; the import accepts either order. */
export const MAPPING_FILE_HEADERS = ['Tapkey Lock ID', 'Kinnovis Unit Name'] as const;

/** Columns a file may carry besides the two, which the import reads past (the proposal download's confidence). */
export const OPTIONAL_MAPPING_FILE_HEADERS = ['Confidence'] as const;

/** The captured-locks export: the mapping file's two columns first, then what helps fill it in. */
export const LOCK_EXPORT_HEADERS = ['Tapkey Lock ID', 'Kinnovis Unit Name', 'Lock Title', 'Source', 'Location', 'Captured URL', 'Unit ID'] as const;

export const MAX_IMPORT_BYTES = 5 * 1024 * 1024;
export const MAX_IMPORT_ROWS = 20_000;

export const fileFormats = ['csv', 'xlsx'] as const;
export const fileFormatSchema = z.enum(fileFormats);
export type FileFormat = z.infer<typeof fileFormatSchema>;

export const FILE_CONTENT_TYPES: Record<FileFormat, string> = {
  csv: 'text/csv',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

export const importActionSchema = z.enum(['create', 'unchanged', 'replace', 'error']);
export type ImportAction = z.infer<typeof importActionSchema>;

export const importProblemCodes = [
  'empty_row',
  'extra_cells',
  'missing_lock_id',
  'bad_lock_id',
  'unknown_lock',
  'missing_unit_name',
  'unknown_unit',
  'ambiguous_unit',
  'duplicate_lock',
  'duplicate_unit',
  'conflict',
  /** The unit and the lock belong to different locations (server/mappings.ts). */
  'other_location',
] as const;
/** `message` is the English text; `code` and `params` let a client say it in its language. */
export const importProblemSchema = z.object({
  code: z.enum(importProblemCodes),
  message: z.string(),
  params: z.record(z.string(), z.string()),
});
export type ImportProblem = z.infer<typeof importProblemSchema>;

/** A row problem in the user's language (a conflict's wording depends on which end is taken). */
export function describeImportProblem(problem: Pick<ImportProblem, 'code' | 'params'>, lang: Language = 'en'): string {
  let key: string = problem.code;
  if (problem.code === 'conflict') key = problem.params.lockMappedTo && problem.params.unitMappedTo ? 'conflict_both' : problem.params.lockMappedTo ? 'conflict_lock' : 'conflict_unit';
  return translate(lang, `manager.import.${key}` as MessageKey, problem.params);
}

/** A problem with its English message filled in. */
export function importProblem(code: ImportProblem['code'], params: Record<string, string> = {}): ImportProblem {
  return { code, params, message: describeImportProblem({ code, params }) };
}

const unitRef = z.object({ externalId: z.string(), name: z.string() });

export const importRowSchema = z.object({
  /** The row number a spreadsheet shows (the header row is 1 when it is the first row). */
  row: z.number().int(),
  /** The cells as read (before trimming), so the user recognises the row. */
  lockId: z.string(),
  unitName: z.string(),
  action: importActionSchema,
  /** The unit the name matched. */
  unit: unitRef.nullable(),
  /** For `replace` (and conflicts): the unit the lock leaves and the lock the unit leaves. */
  lockWasMappedTo: unitRef.nullable(),
  unitWasMappedTo: z.string().nullable(),
  problems: z.array(importProblemSchema),
});
export type ImportRow = z.infer<typeof importRowSchema>;

export const importReportSchema = z.object({
  format: fileFormatSchema,
  dryRun: z.boolean(),
  replace: z.boolean(),
  applied: z.boolean(),
  /** Audit entity id of an applied import (`mapping_import`), else null. */
  importId: z.string().nullable(),
  totals: z.object({
    rows: z.number().int(),
    create: z.number().int(),
    unchanged: z.number().int(),
    replace: z.number().int(),
    error: z.number().int(),
  }),
  rows: z.array(importRowSchema),
});
export type ImportReport = z.infer<typeof importReportSchema>;

/** Header cells compare ignoring case, surrounding and repeated spaces, and invisible marks. */
export function normalizeHeader(cell: string): string {
  return cell
    .replace(/[\u200b-\u200d\ufeff]/g, '')
    .replace(/\s+/g, ' ')
    .trim()
    .toLowerCase();
}
