/**
 * The contract's shared pieces: field helpers, the error body, list envelopes, audit events,
 * health. Part of the shared contract (lib/contract.ts).
 */
import { z } from 'zod';
import { isoDateSchema } from '../dates.ts';

export const id = z.string().uuid();
export const isoDateTime = z.string().datetime({ offset: true });
export const name = (max: number) => z.string().trim().min(1, 'Required').max(max, `At most ${max} characters`);
/** A calendar day that exists (lib/dates.ts), as YYYY-MM-DD. */
export const isoDate = isoDateSchema;
export const emailSchema = z.string().trim().toLowerCase().email('Not a valid email address').max(254);
/** Here rather than in ./bookings.ts: page readers (lib/site-profile/) use it without the rest of the booking contract. */
export const bookingStateSchema = z.enum(['reserved', 'active', 'ended', 'cancelled']);

export const errorCodes = [
  'bad_request',
  'validation_failed',
  'unauthorized',
  'forbidden',
  'not_found',
  'conflict',
  'payload_too_large',
  'unprocessable',
  'rate_limited',
  'provider_error',
  'unavailable',
  'internal',
] as const;
export const errorCodeSchema = z.enum(errorCodes);
export type ErrorCode = z.infer<typeof errorCodeSchema>;

export const fieldErrorSchema = z.object({ path: z.string(), message: z.string() });
export type FieldError = z.infer<typeof fieldErrorSchema>;

/** Every API error answers with this body: a stable code, a message for people, field errors. */
export const errorBodySchema = z.object({
  error: z.object({ code: errorCodeSchema, message: z.string() }),
  fieldErrors: z.array(fieldErrorSchema),
  /** Extra machine-readable context, e.g. the conflicting mapping of a 409. */
  details: z.unknown().optional(),
});
export type ErrorBody = z.infer<typeof errorBodySchema>;

export const auditEventSchema = z.object({
  id,
  at: isoDateTime,
  actor: z.string(),
  action: z.string(),
  entity: z.string(),
  entityId: z.string(),
  before: z.unknown().nullable(),
  after: z.unknown().nullable(),
});
export type AuditEvent = z.infer<typeof auditEventSchema>;

export const healthSchema = z.object({ status: z.literal('ok'), version: z.string() });
/** GET /v1/sandbox: where the sandbox fakes run (ephemeral ports), so the demo can find them. */
export const sandboxInfoSchema = z.object({ running: z.boolean(), urls: z.record(z.string(), z.string()) });
/** Cursor-less list envelope used by every list route. */
export const listOf = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item), total: z.number().int() });
