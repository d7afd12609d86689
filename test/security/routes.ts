/**
 * The API's routes as the security tests see them: every operation of `/openapi.json`, checked
 * against Hono's own route table so an undocumented /v1 route cannot hide from the tests that
 * enumerate the document.
 */
import { expect } from 'vitest';
import type { TestApi } from '../helpers/api.ts';

export interface Route {
  method: string;
  /** OpenAPI form: /v1/units/{externalId} */
  path: string;
  /** "PUT /v1/units/{externalId}" */
  key: string;
  op: Operation;
}

export interface Operation {
  parameters?: { name: string; in: string; required?: boolean; schema?: Schema }[];
  requestBody?: { required?: boolean; content: Record<string, { schema?: Schema }> };
  responses?: Record<string, unknown>;
}

export type Schema = Record<string, any>;
export type OpenApiDoc = { paths: Record<string, Record<string, Operation>>; components?: { schemas?: Record<string, Schema> } };

export async function loadRoutes(api: TestApi): Promise<{ doc: OpenApiDoc; routes: Route[] }> {
  const doc = (await api.json<OpenApiDoc>('GET', '/openapi.json', undefined, { token: null })).body;
  const routes: Route[] = [];
  for (const [path, ops] of Object.entries(doc.paths))
    for (const [m, op] of Object.entries(ops)) {
      const method = m.toUpperCase();
      routes.push({ method, path, key: `${method} ${path}`, op });
    }
  return { doc, routes };
}

/** Hono's registered /v1 routes (middleware aside) must all be in the OpenAPI document. */
export function expectEveryRouteDocumented(honoRoutes: { method: string; path: string }[], routes: Route[]) {
  const documented = new Set(routes.map((r) => r.key));
  const registered = new Set(
    honoRoutes
      .filter((r) => r.method !== 'ALL' && r.path.startsWith('/v1/'))
      .map((r) => `${r.method} ${r.path.replace(/:([A-Za-z0-9_]+)/g, '{$1}')}`),
  );
  expect([...registered].filter((k) => !documented.has(k)), 'routes served but missing from /openapi.json').toEqual([]);
}

export const pathParams = (path: string) => [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]!);

export const jsonBodySchema = (op: Operation): Schema | undefined => op.requestBody?.content['application/json']?.schema;

/** Resolves `$ref`s of the document (one level at a time, as the fuzzers walk). */
export function deref(doc: OpenApiDoc, schema: Schema | undefined): Schema | undefined {
  let s = schema;
  for (let i = 0; s?.$ref && i < 10; i++) s = doc.components?.schemas?.[String(s.$ref).split('/').pop()!];
  return s;
}
