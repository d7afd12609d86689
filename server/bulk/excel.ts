/**
 * exceljs, loaded on the first XLSX read or write: importing it costs most of a second, which
 * every start of the API (and `npm start`) paid although most runs never touch a workbook.
 */
import type ExcelJS from 'exceljs';

let excel: Promise<typeof ExcelJS> | undefined;

export const loadExcel = () => (excel ??= import('exceljs').then((m) => m.default));
