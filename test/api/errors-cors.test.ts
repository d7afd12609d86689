import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorBodySchema } from '../../lib/contract.ts';
import { parseCorsOrigins } from '../../server/cors.ts';
import { freshDatabase } from '../helpers/db.ts';
import { startTestApi, type TestApi } from '../helpers/api.ts';

let api: TestApi;
let locationId: string;
const WIDGET_ORIGIN = 'https://manager.example.com';
const CHROME = 'chrome-extension://abcdefghijklmnopabcdefghijklmnop';
const FIREFOX = 'moz-extension://0f1e2d3c-4b5a-4969-8877-665544332211';

beforeAll(async () => {
  api = await startTestApi({ deps: { corsOrigins: [WIDGET_ORIGIN] } });
  locationId = (await api.json('POST', '/v1/locations', { name: 'Site' })).body.id;
  await api.json('PUT', '/v1/units/U1', { name: 'A-01' });
});
afterAll(() => api?.close());

/** Asserts the contract's error body and returns its field paths. */
function failure(res: { status: number; body: any }, status: number, code: string): string[] {
  expect(res.status).toBe(status);
  expect(errorBodySchema.parse(res.body)).toEqual(res.body);
  expect(res.body.error.code).toBe(code);
  expect(res.body.error.message.length).toBeGreaterThan(0);
  return res.body.fieldErrors.map((f: { path: string }) => f.path);
}

describe('validation errors name every bad field', () => {
  const cases: [string, string, unknown, string[]][] = [
    ['POST', '/v1/locations', {}, ['name']],
    ['POST', '/v1/locations', { name: '   ' }, ['name']],
    ['POST', '/v1/locations', { name: 'x'.repeat(201) }, ['name']],
    ['POST', '/v1/locations', { name: 'X', timeZone: 'Mars/Olympus' }, ['timeZone']],
    ['POST', '/v1/locations', { name: 'X', tapkey: { clientSecret: '' } }, ['tapkey.clientId', 'tapkey.clientSecret', 'tapkey.ownerAccountId']],
    ['POST', '/v1/locations', { name: 'X', tapkey: { clientId: 'c', ownerAccountId: 'o', syncMode: 'sometimes' } }, ['tapkey.syncMode']],
    ['POST', '/v1/locations', { name: 'X', keycafe: { accountEmail: 'not-an-email' } }, ['keycafe.accountEmail']],
    ['POST', '/v1/locations', [], ['']],
    ['PATCH', '/v1/locations/not-a-uuid', { name: 'X' }, ['id']],
    ['PATCH', `/v1/locations/{loc}`, { name: '', tapkey: { accessTrigger: 'never' } }, ['name', 'tapkey.accessTrigger']],
    ['GET', '/v1/locations/123', undefined, ['id']],
    ['DELETE', '/v1/locations/123', undefined, ['id']],
    ['PUT', '/v1/units/U1', {}, ['name']],
    ['PUT', '/v1/units/U1', { name: 'A', locationId: 'nope' }, ['locationId']],
    ['PUT', '/v1/units/U1', { name: 'A', locationId: '22222222-2222-4222-8222-222222222222' }, ['locationId']],
    ['PUT', `/v1/units/${'x'.repeat(201)}`, { name: 'A' }, ['externalId']],
    ['GET', '/v1/units?limit=0', undefined, ['limit']],
    ['GET', '/v1/units?limit=abc&offset=-1', undefined, ['limit', 'offset']],
    ['GET', '/v1/units?locationId=x', undefined, ['locationId']],
    ['GET', '/v1/locks?source=manual&mapped=yes', undefined, ['source', 'mapped']],
    ['GET', '/v1/locks/12345', undefined, ['lockId']],
    ['POST', '/v1/locks/captured', {}, ['locks']],
    ['POST', '/v1/locks/captured', { locks: [{ id: 'x', title: 5, pageUrl: 'https://p/' }] }, ['locks.0.id', 'locks.0.title']],
    ['GET', '/v1/mappings?lockId=x&locationId=y', undefined, ['lockId', 'locationId']],
    ['PUT', '/v1/units/U1/mapping', {}, ['lockId']],
    ['PUT', '/v1/units/U1/mapping', { lockId: 'abc', replace: 'yes' }, ['lockId', 'replace']],
    ['GET', '/v1/audit-events?limit=501', undefined, ['limit']],
  ];
  it.each(cases)('%s %s %j → 400 %j', async (method, path, body, paths) => {
    const res = await api.json(method, path.replace('{loc}', locationId), body);
    expect(failure(res, 400, 'validation_failed')).toEqual(paths);
    expect(res.body.error.message).toBe('Some fields are not valid');
    for (const f of res.body.fieldErrors) expect(f.message.length).toBeGreaterThan(0);
  });

  it('nothing was written by the rejected requests', async () => {
    expect((await api.json('GET', '/v1/locations')).body.total).toBe(1);
    expect((await api.json('GET', '/v1/units/U1')).body.name).toBe('A-01');
    expect((await api.json('GET', '/v1/locks')).body.total).toBe(0);
  });
});

describe('request errors', () => {
  it('malformed JSON is 400 bad_request', async () => {
    const res = await api.fetch('/v1/locations', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"name": "x",' });
    failure({ status: res.status, body: await res.json() }, 400, 'bad_request');
    const empty = await api.fetch('/v1/locations', { method: 'POST', headers: { 'content-type': 'application/json' } });
    failure({ status: empty.status, body: await empty.json() }, 400, 'bad_request');
  });

  it('a body that is not JSON is 415 with the JSON error body', async () => {
    const res = await api.fetch('/v1/locations', { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'name=x' });
    failure({ status: res.status, body: await res.json() }, 415, 'bad_request');
  });

  it('a body over 1 MiB is 413, whether announced by Content-Length or streamed', async () => {
    const big = JSON.stringify({ name: 'x', pad: 'y'.repeat(1024 * 1024) });
    const res = await api.fetch('/v1/locations', { method: 'POST', headers: { 'content-type': 'application/json' }, body: big });
    failure({ status: res.status, body: await res.json() }, 413, 'payload_too_large');

    const chunks = [new TextEncoder().encode('{"name":"x","pad":"'), ...Array.from({ length: 9 }, () => new Uint8Array(128 * 1024).fill(97))];
    const stream = new ReadableStream({
      pull(controller) {
        const next = chunks.shift();
        if (next) controller.enqueue(next);
        else controller.close();
      },
    });
    const streamed = await api.fetch('/v1/locations', { method: 'POST', headers: { 'content-type': 'application/json' }, body: stream, duplex: 'half' } as RequestInit);
    failure({ status: streamed.status, body: await streamed.json() }, 413, 'payload_too_large');
    expect((await api.json('GET', '/v1/locations')).body.total).toBe(1);
  });

  it('unknown routes and methods are 404 JSON', async () => {
    for (const [method, path] of [
      ['GET', '/nope'],
      ['GET', '/v1/nope'],
      ['PATCH', '/v1/units'],
      ['POST', '/health'],
    ] as const) {
      const res = await api.json(method, path);
      failure(res, 404, 'not_found');
      expect(res.body.error.message).toBe(`No route for ${method} ${path}`);
    }
  });

  it('/ready is 503 when the database cannot be reached', async () => {
    const database = await freshDatabase();
    const broken = await startTestApi({ deps: { database } });
    try {
      expect((await broken.json('GET', '/ready')).status).toBe(200);
      await database.close();
      failure(await broken.json('GET', '/ready'), 503, 'unavailable');
      expect((await broken.json('GET', '/health')).body).toEqual({ status: 'ok', version: 'test' });
    } finally {
      await broken.close();
    }
  });
});

describe('CORS', () => {
  const preflight = (origin: string) =>
    api.fetch('/v1/units', {
      method: 'OPTIONS',
      headers: { origin, 'access-control-request-method': 'PUT', 'access-control-request-headers': 'authorization,content-type' },
    });

  it.each([CHROME, FIREFOX, WIDGET_ORIGIN])('allows %s, on answers and on errors', async (origin) => {
    const pre = await preflight(origin);
    expect(pre.status).toBe(204);
    expect(pre.headers.get('access-control-allow-origin')).toBe(origin);
    expect(pre.headers.get('access-control-allow-headers')).toMatch(/Authorization/);
    expect(pre.headers.get('access-control-allow-methods')).toMatch(/PUT/);

    const ok = await api.json('GET', '/v1/units', undefined, { headers: { origin } });
    expect(ok.headers.get('access-control-allow-origin')).toBe(origin);
    expect(ok.headers.get('vary')).toMatch(/Origin/);
    const unauthorized = await api.json('GET', '/v1/units', undefined, { token: null, headers: { origin } });
    expect(unauthorized.status).toBe(401);
    expect(unauthorized.headers.get('access-control-allow-origin')).toBe(origin);
  });

  it.each(['https://evil.example', 'chrome-extension://evil.example', 'https://manager.example.com.evil.example', 'null'])(
    'refuses %s: no CORS headers at all',
    async (origin) => {
      const pre = await preflight(origin);
      expect(pre.status).toBe(403);
      expect(pre.headers.get('access-control-allow-origin')).toBeNull();
      expect((await pre.json()).error.code).toBe('forbidden');
      const res = await api.json('GET', '/v1/units', undefined, { headers: { origin } });
      expect(res.status).toBe(200);
      expect(res.headers.get('access-control-allow-origin')).toBeNull();
      expect(res.headers.get('access-control-allow-methods')).toBeNull();
    },
  );

  it('parses ACCESSBRIDGE_CORS_ORIGINS and rejects values that are not origins', () => {
    expect(parseCorsOrigins(' https://a.example/ , http://localhost:3000,')).toEqual(['https://a.example', 'http://localhost:3000']);
    expect(parseCorsOrigins(undefined)).toEqual([]);
    expect(() => parseCorsOrigins('https://a.example/path')).toThrow(/must be only scheme/);
    expect(() => parseCorsOrigins('not a url')).toThrow(/not an origin/);
  });
});
