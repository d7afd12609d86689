/**
 * The shared contract: zod schemas for everything the sync API and the extension (and the
 * widget) exchange. Both sides parse with these, so a field renamed here breaks both builds.
 * Request schemas (`*Input`) validate what callers send; resource schemas describe answers.
 * One module per area in lib/contract/; this file is the one place to import from.
 */
export { lockIdSchema } from './lock-id.ts';
// The field helpers of common.ts (id, name, …) stay inside the contract.
export { emailSchema, errorCodes, errorCodeSchema, fieldErrorSchema, errorBodySchema, auditEventSchema, healthSchema, sandboxInfoSchema, listOf, type ErrorCode, type FieldError, type ErrorBody, type AuditEvent } from './contract/common.ts';
export * from './contract/locations.ts';
export * from './contract/mapping.ts';
export * from './contract/bookings.ts';
export * from './contract/keycafe.ts';
export * from './contract/widget.ts';
export * from './contract/admin.ts';
