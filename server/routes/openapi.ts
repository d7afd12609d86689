/**
 * Pieces every router uses to describe itself in /openapi.json: named component schemas (so
 * the document shows `Lock`, not the same object inlined twenty times) and the error responses.
 */
import { z } from '@hono/zod-openapi';
import {
  auditEventSchema,
  errorBodySchema,
  listOf,
  locationSchema,
  lockSchema,
  mappingSchema,
  organizationSchema,
  unitSchema,
} from '../../lib/contract.ts';

type Metadata = Parameters<z.ZodString['openapi']>[1];

/**
 * `schema.openapi(...)` that also works on schemas built before @hono/zod-openapi was first
 * imported: zod 4 copies prototype methods onto each instance when it is created, so a
 * lib/contract.ts schema made before the extension has no `.openapi` of its own (it depends
 * on import order). Safe on any schema; the routers use it for contract schemas.
 */
export function openapi<T extends z.ZodType>(schema: T, refIdOrMetadata: string | NonNullable<Metadata>, metadata?: Metadata): T {
  const method = (z.ZodType.prototype as unknown as { openapi: (...a: unknown[]) => T }).openapi;
  return metadata === undefined ? method.call(schema, refIdOrMetadata) : method.call(schema, refIdOrMetadata, metadata);
}

export const ErrorBody = openapi(errorBodySchema, 'ErrorBody');
export const Organization = openapi(organizationSchema, 'Organization');
export const Location = openapi(locationSchema, 'Location');
export const Unit = openapi(unitSchema, 'Unit');
export const Lock = openapi(lockSchema, 'Lock');
export const Mapping = openapi(mappingSchema, 'Mapping');
export const AuditEvent = openapi(auditEventSchema, 'AuditEvent');

export const LocationList = listOf(Location).openapi('LocationList');
export const UnitList = listOf(Unit).openapi('UnitList');
export const LockList = listOf(Lock).openapi('LockList');
export const MappingList = listOf(Mapping).openapi('MappingList');
export const AuditEventList = listOf(AuditEvent).openapi('AuditEventList');

export const json = <T extends z.ZodType>(schema: T, description: string) => ({
  content: { 'application/json': { schema } },
  description,
});

/** A required JSON request body. */
export const jsonBody = <T extends z.ZodType>(schema: T, description?: string) => ({
  body: { content: { 'application/json': { schema } }, required: true, ...(description ? { description } : {}) },
});

const errorDescriptions = {
  400: 'Malformed JSON or invalid fields (`validation_failed` lists each field path)',
  401: 'Missing, unknown or revoked API token',
  404: 'No such resource in your organization',
  409: 'Conflicts with the current state (see `details`)',
  413: 'Request body larger than 1 MiB',
  422: 'Well-formed but not acceptable (the message says why)',
  503: 'Not ready (database unreachable)',
} as const;

/** The error responses a route can give, all with the contract's error body. */
export function errors<S extends keyof typeof errorDescriptions>(...statuses: S[]) {
  return Object.fromEntries(statuses.map((s) => [s, json(ErrorBody, errorDescriptions[s])])) as Record<S, ReturnType<typeof json<typeof ErrorBody>>>;
}

/** Errors every authenticated route can answer. */
export const authErrors = errors(400, 401);

/** Query-string pagination; `limit` capped so one request cannot dump a whole table. */
export const paging = (maxLimit = 500, defaultLimit = 50) => ({
  limit: z.coerce.number().int().min(1).max(maxLimit).default(defaultLimit).openapi({ description: `Page size (1–${maxLimit})` }),
  offset: z.coerce.number().int().min(0).default(0).openapi({ description: 'Items to skip' }),
});

/** `?mapped=true|false` style flags: anything else is a validation error, not a silent false. */
export const booleanQuery = z.enum(['true', 'false']).transform((v) => v === 'true');

export const uuidParam = (name: string) =>
  z.string().uuid('Not a valid UUID').openapi({ param: { name, in: 'path' }, example: '3f1c2a9e-8b7d-4c21-9a55-2e6f0d4b7c10' });
