/**
 * What the page readers yield, as zod schemas for the side that receives it (the background
 * checks a preview's answer with `pageReadingSchema`, entrypoints/background/preview.ts). Apart
 * from the readers themselves (./extract.ts, ../site-profile-list.ts), which run in every manager
 * page and must not carry zod: they import only the types from here.
 */
import { z } from 'zod';
import { bookingStateSchema, emailSchema } from '../contract/common.ts';
import { MAX_LIST_ROWS } from '../site-profile-list.ts';
import { problemSchema } from './problem-schema.ts';

export const extractionSchema = <T extends z.ZodType>(value: T) =>
  z.discriminatedUnion('ok', [
    /** `notes`: optional fields not found, for the options preview. */
    z.object({ ok: z.literal(true), value, notes: z.array(problemSchema) }),
    z.object({ ok: z.literal(false), problems: z.array(problemSchema).min(1) }),
  ]);

const text200 = z.string().min(1).max(200);

export const unitPageDataSchema = z.object({ externalId: text200, name: text200, location: text200.nullable() });
export type UnitPageData = z.infer<typeof unitPageDataSchema>;

/** Named like `bookingInput` so the content script can send it as it is. */
export const bookingPageDataSchema = z.object({
  externalId: text200,
  unitExternalId: text200,
  tenantName: text200.nullable(),
  tenantEmail: emailSchema.nullable(),
  tenantPhone: z.string().max(40).nullable(),
  moveIn: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  moveOut: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).nullable(),
  state: bookingStateSchema.nullable(),
});
export type BookingPageData = z.infer<typeof bookingPageDataSchema>;

/** Everything a manager page yields for one profile (`readPage`): what it is, its data, whether the anchor exists. */
export const pageReadingSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('unit'), profileId: z.string(), result: extractionSchema(unitPageDataSchema), anchor: problemSchema.nullable() }),
  z.object({ kind: z.literal('booking'), profileId: z.string(), result: extractionSchema(bookingPageDataSchema), anchor: problemSchema.nullable() }),
]);

/** A booking list page as `readBookingList` (lib/site-profile-list.ts) reads it. */
export const listReadingSchema = z.object({
  profileId: z.string(),
  /** Every row read; rows with problems are listed in `failed` instead. */
  bookings: z.array(bookingPageDataSchema).max(MAX_LIST_ROWS),
  failed: z.array(z.object({ row: z.number().int().min(1), problems: z.array(problemSchema) })),
  /** More rows than MAX_LIST_ROWS: nothing read. */
  tooMany: z.boolean(),
  anchor: problemSchema.nullable(),
});
export type ListReading = z.infer<typeof listReadingSchema>;
