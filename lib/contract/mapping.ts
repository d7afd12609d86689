/**
 * Units, locks and the mappings between them. Part of the shared contract (lib/contract.ts).
 */
import { z } from 'zod';
import { identifierSchema } from '../identifiers.ts';
import { lockIdSchema } from '../lock-id.ts';
import { isSafeLinkUrl } from '../safe-url.ts';
import { id, isoDateTime, name } from './common.ts';

export const unitSchema = z.object({
  id,
  externalId: z.string(),
  name: z.string(),
  locationId: id.nullable(),
  createdAt: isoDateTime,
  updatedAt: isoDateTime,
  /** Only on PUT: units of the same location this one is easy to confuse with (lib/identifiers.ts). */
  warnings: z
    .array(z.object({ code: z.literal('confusable_unit'), message: z.string(), params: z.record(z.string(), z.string()) }))
    .optional(),
});
export type Unit = z.infer<typeof unitSchema>;

/** Upsert by the manager's own unit id (`externalId`, in the URL). The name identifies the unit in mapping files. */
export const unitInput = z.object({
  name: identifierSchema(200),
  locationId: id.nullable().optional(),
});
export type UnitInput = z.infer<typeof unitInput>;

export const lockSourceSchema = z.enum(['tapkey', 'captured']);

export const lockSchema = z.object({
  id: lockIdSchema,
  title: z.string(),
  source: lockSourceSchema,
  locationId: id.nullable(),
  capturedUrl: z.string().refine(isSafeLinkUrl, 'Only https:// page addresses').nullable(),
  createdAt: isoDateTime,
  updatedAt: isoDateTime,
});
export type Lock = z.infer<typeof lockSchema>;

export const capturedLockInput = z.object({
  id: lockIdSchema,
  title: z.string().trim().max(200).default(''),
  pageUrl: z.string().max(2000).refine(isSafeLinkUrl, 'Use the https:// address of the portal page'),
  locationId: id.nullable().optional(),
});
export type CapturedLockInput = z.input<typeof capturedLockInput>;

export const captureLocksInput = z.object({
  locks: z.array(capturedLockInput).min(1, 'At least one lock').max(1000, 'At most 1,000 locks at once'),
});
export const captureLocksResult = z.object({
  created: z.number().int(),
  updated: z.number().int(),
  unchanged: z.number().int(),
  locks: z.array(lockSchema),
});

export const mappingSchema = z.object({
  unitId: id,
  lockId: lockIdSchema,
  unit: unitSchema,
  lock: lockSchema,
  createdAt: isoDateTime,
});
export type Mapping = z.infer<typeof mappingSchema>;

/** PUT /v1/units/{unitId}/mapping. `replace` moves a lock or unit already mapped elsewhere. */
export const mappingInput = z.object({ lockId: lockIdSchema, replace: z.boolean().default(false) });
export type MappingInput = z.input<typeof mappingInput>;

/** The 409 body's `details` when a mapping would conflict. */
export const mappingConflictSchema = z.object({
  lockMappedTo: mappingSchema.nullable(),
  unitMappedTo: mappingSchema.nullable(),
});
export type MappingConflict = z.infer<typeof mappingConflictSchema>;
