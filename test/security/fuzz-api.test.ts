/**
 * Property-based fuzzing of the API's inputs, driven by /openapi.json so new routes are fuzzed
 * too. For every operation: random path ids (real ones, random ones, hostile encodings), random
 * query values, and bodies generated from the route's own request schema with junk mixed in at
 * every level. Whatever arrives, the API answers below 500, and every 4xx is the contract's
 * error body. Runs against a world with every provider connected (sandboxes), so inputs that
 * pass validation reach the handlers and the provider connectors.
 *
 * Time-boxed: a few dozen runs per route. FUZZ_RUNS=n and FUZZ_SEED=s reproduce or deepen a run.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorBodySchema } from '../../lib/contract.ts';
import { deref, jsonBodySchema, loadRoutes, pathParams, type OpenApiDoc, type Route, type Schema } from './routes.ts';
import { seedTenant, startWorld, type Tenant, type World } from './world.ts';

const RUNS = Number(process.env.FUZZ_RUNS ?? 20);
const SEED = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : undefined;

let world: World;
let tenant: Tenant;
let doc: OpenApiDoc;
let routes: Route[];

beforeAll(async () => {
  world = await startWorld();
  tenant = await seedTenant(world, world.api.token, world.api.orgId, 'FUZZ');
  // Jobs the fuzzed requests enqueue stay queued: the properties are about the answers.
  await world.worker.stop();
  ({ doc, routes } = await loadRoutes(world.api));
}, 120_000);
afterAll(() => world?.close());

const hostileStrings = [
  '',
  ' ',
  '\u0000',
  'a\u0000b',
  '\ud800',
  '<script>alert(1)</script>',
  "' OR '1'='1",
  '%',
  '%25',
  '../../etc/passwd',
  '\\',
  '"',
  '\u202e',
  'x'.repeat(201),
  'x'.repeat(5000),
  '1e309',
  '-0',
  'null',
  'undefined',
  '__proto__',
  'constructor',
  '0000-00-00',
  '2026-02-30',
  '24:00',
];

const junk: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom<unknown>(null, true, false, 0, -1, 1.5, 2 ** 53, -(2 ** 63), 1e308, [], {}, ...hostileStrings),
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.jsonValue({ maxDepth: 2 }),
);

const text: fc.Arbitrary<string> = fc.oneof(fc.string({ maxLength: 60 }), fc.string({ unit: 'grapheme', maxLength: 30 }), fc.constantFrom(...hostileStrings));

// Mostly real dates, also impossible and extreme ones (2026-02-30, 2027-99-99, 0000-01-01, 9999-12-31):
// the API must refuse them with a 4xx, never store them and fail later.
const pad = (n: number, w: number) => String(n).padStart(w, '0');
const isoDate = fc.oneof(
  { weight: 4, arbitrary: fc.date({ min: new Date('1990-01-01'), max: new Date('2100-01-01'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10)) },
  {
    weight: 1,
    arbitrary: fc
      .tuple(fc.oneof(fc.integer({ min: 0, max: 9999 }), fc.constantFrom(0, 1999, 2100, 2101, 9999)), fc.integer({ min: 0, max: 99 }), fc.integer({ min: 0, max: 99 }))
      .map(([y, m, d]) => `${pad(y, 4)}-${pad(m, 2)}-${pad(d, 2)}`),
  },
  { weight: 1, arbitrary: fc.constantFrom('2026-02-30', '2026-13-01', '2027-99-99', '0000-01-01', '9999-12-31', '2025-02-29', '2024-02-29') },
);

/** A value of the schema, or (sometimes, at any depth) something that is not. */
function arb(schema: Schema | undefined, depth = 0): fc.Arbitrary<unknown> {
  const s = deref(doc, schema);
  if (!s) return junk;
  const valid = validArb(s, depth);
  return depth > 5 ? valid : fc.oneof({ weight: 5, arbitrary: valid }, { weight: 1, arbitrary: junk });
}

function validArb(s: Schema, depth: number): fc.Arbitrary<unknown> {
  const variants = (s.anyOf ?? s.oneOf ?? s.allOf) as Schema[] | undefined;
  if (variants?.length) return fc.oneof(...variants.map((v) => arb(v, depth + 1)));
  if (s.const !== undefined) return fc.constant(s.const);
  if (Array.isArray(s.enum)) return fc.constantFrom(...(s.enum as unknown[]));
  const types: string[] = Array.isArray(s.type) ? s.type : [s.type ?? (s.properties ? 'object' : 'any')];
  return fc.oneof(
    ...types.map((type): fc.Arbitrary<unknown> => {
      switch (type) {
        case 'string':
          if (s.format === 'uuid') return fc.oneof(fc.uuid(), fc.constantFrom(tenant.locationId, tenant.capturedLockId, tenant.mappedLockId, tenant.keycafeBookingId));
          if (s.format === 'email') return fc.oneof(fc.emailAddress(), text);
          if (s.format === 'date') return isoDate;
          if (s.format === 'date-time') return fc.date({ noInvalidDate: true }).map((d) => d.toISOString());
          if (s.pattern === '^\\d{4}-\\d{2}-\\d{2}$') return isoDate;
          if (s.pattern && /\[01\]\\d\|2\[0-3\]/.test(String(s.pattern))) return fc.tuple(fc.integer({ min: 0, max: 24 }), fc.integer({ min: 0, max: 60 })).map(([h, m]) => `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`);
          return fc.oneof(text, fc.string({ minLength: s.minLength ?? 0, maxLength: Math.min((s.maxLength ?? 60) + 2, 300) }));
        case 'integer':
          return fc.integer({ min: (s.minimum ?? -1000) - 1, max: (s.maximum ?? 1000) + 1 });
        case 'number':
          return fc.double({ noNaN: true });
        case 'boolean':
          return fc.boolean();
        case 'null':
          return fc.constant(null);
        case 'array':
          return fc.array(arb(s.items, depth + 1), { maxLength: Math.min(s.maxItems ?? 4, 4) + 1 });
        case 'object': {
          const props = (s.properties ?? {}) as Record<string, Schema>;
          const record = fc.record(
            Object.fromEntries(Object.entries(props).map(([k, v]) => [k, arb(v, depth + 1)])),
            { requiredKeys: ((s.required as string[] | undefined) ?? []).filter((k) => k in props) },
          );
          // Unknown keys ride along sometimes (they must be ignored or refused, never used).
          return fc.tuple(record, fc.dictionary(fc.constantFrom('__proto__', 'constructor', 'organizationId', 'id', 'extra'), junk, { maxKeys: 2 })).map(([r, extra]) =>
            Object.assign(Object.create(null), extra, r),
          );
        }
        default:
          return junk;
      }
    }),
  );
}

/** Percent-encodes text; a lone surrogate (not encodable) becomes its raw, invalid UTF-8 bytes. */
const encode = (s: string) => {
  try {
    return encodeURIComponent(s);
  } catch {
    return '%ED%A0%80';
  }
};

/** A path segment: a real id of ours, a random one, or something hostile (already encoded). */
function pathArb(route: Route, param: string): fc.Arbitrary<string> {
  const before = route.path.slice(0, route.path.indexOf(`{${param}}`));
  const real = /locations\/$/.test(before)
    ? tenant.locationId
    : /keycafe\/bookings\/$/.test(before)
      ? tenant.keycafeBookingId
      : /units\/$/.test(before)
        ? tenant.unitExternalId
        : /locks\/$/.test(before)
          ? tenant.capturedLockId
          : /bookings\/$/.test(before)
            ? tenant.bookingExternalId
            : /sync-runs\/$/.test(before)
              ? tenant.syncRunId
              : 'x';
  return fc.oneof(
    { weight: 3, arbitrary: fc.constant(encode(real)) },
    { weight: 2, arbitrary: fc.uuid().map(encode) },
    { weight: 2, arbitrary: text.map(encode) },
    { weight: 1, arbitrary: fc.constantFrom('%E0%A4%A', '%', '%zz', '%00', '%2e%2e', '..', '%2F', 'a%2Fb', '%C0%AE', encode(real.toUpperCase()) + '%20', '%ED%A0%80') },
  );
}

function queryArb(route: Route): fc.Arbitrary<string> {
  const params = (route.op.parameters ?? []).filter((p) => p.in === 'query');
  if (!params.length) return fc.constant('');
  return fc
    .record(Object.fromEntries(params.map((p) => [p.name, fc.option(arb(p.schema), { nil: undefined })])), { requiredKeys: [] })
    .map((q) => {
      const sp = new URLSearchParams();
      for (const [k, v] of Object.entries(q)) if (v !== undefined) sp.append(k, typeof v === 'string' ? v : JSON.stringify(v));
      const s = sp.toString();
      return s ? `?${s}` : '';
    });
}

interface Sample {
  path: string;
  body: string | undefined;
  contentType: string | undefined;
}

function requestArb(route: Route): fc.Arbitrary<Sample> {
  const params = pathParams(route.path);
  const schema = jsonBodySchema(route.op);
  const bodyArb: fc.Arbitrary<{ body: string | undefined; contentType: string | undefined }> = route.op.requestBody
    ? schema
      ? fc.oneof(
          { weight: 6, arbitrary: arb(schema).map((v) => ({ body: JSON.stringify(v) ?? 'null', contentType: 'application/json' })) },
          { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 80 }).map((b) => ({ body: b, contentType: 'application/json' })) },
          { weight: 1, arbitrary: arb(schema).map((v) => ({ body: JSON.stringify(v) ?? '', contentType: fc.sample(fc.constantFrom('text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', ''), 1)[0] })) },
        )
      : // A raw upload (the mapping file import has its own fuzzer: fuzz-import.test.ts).
        fc.string({ unit: 'binary', maxLength: 200 }).map((b) => ({ body: b, contentType: 'text/csv' }))
    : route.method === 'GET'
      ? fc.constant({ body: undefined, contentType: undefined })
      : fc.option(junk.map((v) => ({ body: JSON.stringify(v), contentType: 'application/json' })), { nil: { body: undefined, contentType: undefined } });
  return fc.tuple(fc.tuple(...params.map((p) => pathArb(route, p))), queryArb(route), bodyArb).map(([segments, query, b]) => {
    let path = route.path;
    params.forEach((p, i) => (path = path.replace(`{${p}}`, segments[i]!)));
    return { path: path + query, ...b };
  });
}

async function check(route: Route, sample: Sample) {
  const headers: Record<string, string> = { authorization: `Bearer ${tenant.token}` };
  if (sample.contentType) headers['content-type'] = sample.contentType;
  const res = await fetch(world.api.url + sample.path, { method: route.method, headers, body: sample.body });
  const text = await res.text();
  const where = `${route.method} ${sample.path} ${sample.body?.slice(0, 300) ?? ''} → ${res.status} ${text.slice(0, 300)}`;
  if (res.status >= 500) throw new Error(`server error: ${where}`);
  if (res.status >= 400) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw new Error(`non-JSON error: ${where}`);
    }
    if (!errorBodySchema.safeParse(parsed).success) throw new Error(`not the contract's error body: ${where}`);
  }
}

describe('fuzzing every route of /openapi.json', () => {
  it('has routes to fuzz', () => {
    expect(routes.filter((r) => r.path.startsWith('/v1/')).length).toBeGreaterThan(30);
  });

  it('no input makes any route answer 5xx or a body other than the contract error', { timeout: 300_000 }, async () => {
    const failures: string[] = [];
    // Writes first, then reads, so reads meet whatever the writes left behind.
    const ordered = [...routes.filter((r) => r.method !== 'GET'), ...routes.filter((r) => r.method === 'GET')].filter((r) => r.path.startsWith('/v1/'));
    for (const route of ordered) {
      const result = await fc.check(
        fc.asyncProperty(requestArb(route), (sample) => check(route, sample)),
        { numRuns: RUNS, seed: SEED, interruptAfterTimeLimit: 20_000, endOnFailure: true },
      );
      if (result.failed) failures.push(`${route.key} (seed ${result.seed}, path ${result.counterexamplePath}): ${(result.errorInstance as Error | undefined)?.message ?? 'interrupted'}`);
    }
    expect(failures).toEqual([]);
  });
});
