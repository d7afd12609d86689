/**
 * The bookings file import (the manager's CSV/XLSX export of its bookings): which columns hold
 * which booking field (remembered per location), and the row-by-row report. Shared by the API
 * (server/bulk/booking-import.ts) and its clients.
 */
import { z } from 'zod';
import { bookingStateSchema } from './contract.ts';
import { dateOrders } from './dates.ts';

export const bookingFileFields = ['externalId', 'unitExternalId', 'tenantEmail', 'tenantPhone', 'moveIn', 'moveOut', 'state', 'bookedAt'] as const;
export type BookingFileField = (typeof bookingFileFields)[number];
export const requiredBookingFileFields: readonly BookingFileField[] = ['externalId', 'unitExternalId', 'moveIn'];

const header = z.string().trim().min(1, 'Required').max(200, 'At most 200 characters');

/** Field → the file's column header (matched ignoring case and spacing). */
export const bookingColumnsSchema = z
  .object({
    externalId: header,
    unitExternalId: header,
    moveIn: header,
    tenantEmail: header.optional(),
    tenantPhone: header.optional(),
    moveOut: header.optional(),
    state: header.optional(),
    bookedAt: header.optional(),
  })
  .strict();
export type BookingColumns = z.infer<typeof bookingColumnsSchema>;

export const bookingImportSettingsSchema = z.object({
  columns: bookingColumnsSchema,
  /** How to read numeric dates whose day and month could be swapped (01/02/2026). */
  dateOrder: z.enum(dateOrders).default('DMY'),
  /** The file's state words → booking states (matched ignoring case); the states' own names always work. */
  stateLabels: z.record(z.string().trim().min(1).max(60), bookingStateSchema).default({}),
});
export type BookingImportSettings = z.infer<typeof bookingImportSettingsSchema>;
export type BookingImportSettingsInput = z.input<typeof bookingImportSettingsSchema>;

export const bookingImportRowSchema = z.object({
  /** The spreadsheet's row number. */
  row: z.number().int(),
  externalId: z.string(),
  action: z.enum(['create', 'change', 'unchanged', 'error']),
  problems: z.array(z.object({ column: z.string().nullable(), message: z.string() })),
});
export type BookingImportRow = z.infer<typeof bookingImportRowSchema>;

export const bookingImportReportSchema = z.object({
  locationId: z.string().uuid(),
  dryRun: z.boolean(),
  applied: z.boolean(),
  /** The column mapping used, and whether it came from the location's remembered one. */
  settings: bookingImportSettingsSchema,
  remembered: z.boolean(),
  total: z.number().int(),
  create: z.number().int(),
  change: z.number().int(),
  unchanged: z.number().int(),
  errors: z.number().int(),
  rows: z.array(bookingImportRowSchema),
});
export type BookingImportReport = z.infer<typeof bookingImportReportSchema>;

/**
 * Headers a manager's export commonly uses, per field (English and German), to propose a
 * mapping when a location has none remembered. Compared after `normalizeBookingHeader`.
 */
export const headerGuesses: Record<BookingFileField, string[]> = {
  externalId: ['booking id', 'booking', 'booking no', 'booking number', 'buchung', 'buchungs id', 'buchungsnummer', 'id'],
  unitExternalId: ['unit id', 'unit', 'einheit', 'einheit id', 'unit number'],
  tenantEmail: ['email', 'e-mail', 'tenant email', 'customer email', 'e-mail adresse'],
  tenantPhone: ['phone', 'telefon', 'tenant phone', 'mobile'],
  moveIn: ['move-in', 'move in', 'move-in date', 'einzug', 'einzugsdatum', 'start'],
  moveOut: ['move-out', 'move out', 'move-out date', 'auszug', 'auszugsdatum', 'end'],
  state: ['status', 'state', 'booking status'],
  bookedAt: ['created', 'created at', 'booked at', 'booking date', 'erstellt', 'buchungsdatum'],
};

export const normalizeBookingHeader = (cell: string) => cell.normalize('NFC').replace(/[\s_]+/g, ' ').replace(/[.:]/g, '').trim().toLowerCase();
