/**
 * API token misuse, on every /v1 operation of /openapi.json: no token, a revoked token, the
 * token of a deleted organization, the token in the query string, a cookie or another header,
 * the stored hash presented as the token, malformed and oversized Authorization headers. Each
 * must be 401 with the contract's error body, before any handler runs (nothing written).
 * (test/api/auth.test.ts covers the basics on a few routes; this covers every route.)
 */
import { request as httpRequest } from 'node:http';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorBodySchema } from '../../lib/contract.ts';
import { createApiToken, createOrganization, hashToken, revokeApiToken } from '../../server/auth.ts';
import { organizations } from '../../server/db/schema/index.ts';
import { startTestApi, type TestApi } from '../helpers/api.ts';
import { loadRoutes, type Route } from './routes.ts';

let api: TestApi;
let routes: Route[];
const tokens: Record<string, string> = {};

/** Any concrete URL for a route: ids that may or may not exist (the token check comes first). */
const concrete = (path: string) =>
  path
    .replace(/\{(id|lockId)\}/g, '3f1c2a9e-8b7d-4c21-9a55-2e6f0d4b7c10')
    .replace(/\{[^}]+\}/g, 'X1');

async function auditCount() {
  const { rows } = (await api.database.db.execute(sql`select count(*)::int as n from audit_events`)) as unknown as { rows: { n: number }[] };
  return rows[0]!.n;
}

beforeAll(async () => {
  api = await startTestApi();
  routes = (await loadRoutes(api)).routes.filter((r) => r.path.startsWith('/v1/'));

  const revoked = await createApiToken(api.database.db, api.orgId, 'revoked');
  await revokeApiToken(api.database.db, revoked.id);
  tokens.revoked = revoked.token;

  const doomed = await createOrganization(api.database.db, 'Deleted storage');
  tokens.deletedOrg = (await createApiToken(api.database.db, doomed.id, 'orphan')).token;
  expect((await api.json('GET', '/v1/me', undefined, { token: tokens.deletedOrg })).status).toBe(200);
  await api.database.db.delete(organizations).where(eq(organizations.id, doomed.id));
});
afterAll(() => api?.close());

function expect401(res: { status: number; body: unknown }, label: string) {
  expect(res.status, label).toBe(401);
  expect(errorBodySchema.parse(res.body), label).toMatchObject({ error: { code: 'unauthorized' }, fieldErrors: [] });
}

/** Sends `headers` (and `query`) to every route; all must be 401 and nothing may be written. */
async function everyRouteRefuses(headers: Record<string, string>, query = '') {
  const audits = await auditCount();
  for (const route of routes) {
    const body = ['POST', 'PUT', 'PATCH'].includes(route.method) ? JSON.stringify({ name: 'x', lockId: '3f1c2a9e-8b7d-4c21-9a55-2e6f0d4b7c10' }) : undefined;
    const res = await fetch(api.url + concrete(route.path) + query, {
      method: route.method,
      headers: { ...(body ? { 'content-type': 'application/json' } : {}), ...headers },
      body,
    });
    expect401({ status: res.status, body: await res.json() }, `${route.key} with ${JSON.stringify(headers)}${query}`);
  }
  expect(await auditCount()).toBe(audits);
}

describe('API token misuse on every route', () => {
  it('covers every /v1 operation of the document', () => {
    expect(routes.length).toBeGreaterThan(30);
  });

  it('no token', () => everyRouteRefuses({}));
  it('a revoked token', () => everyRouteRefuses({ authorization: `Bearer ${tokens.revoked}` }));
  it('the token of a deleted organization', () => everyRouteRefuses({ authorization: `Bearer ${tokens.deletedOrg}` }));
  it('the stored SHA-256 hash instead of the token (a leaked database row is not a credential)', () =>
    everyRouteRefuses({ authorization: `Bearer ${hashToken(api.token)}` }));

  it('a valid token anywhere but the Authorization header', async () => {
    for (const name of ['token', 'access_token', 'api_key', 'apiKey', 'bearer'])
      await everyRouteRefuses({}, `?${name}=${encodeURIComponent(api.token)}`);
    await everyRouteRefuses({ cookie: `token=${api.token}; access_token=${api.token}` });
    await everyRouteRefuses({ 'x-api-key': api.token, 'x-access-token': api.token, 'proxy-authorization': `Bearer ${api.token}` });
  });

  it('malformed Authorization headers', async () => {
    for (const authorization of [
      `Bearer ${api.token}x`,
      `Bearer ${api.token.slice(0, -1)}`,
      `Bearer ${api.token.toUpperCase()}`,
      `Bearer "${api.token}"`,
      `Bearer ${api.token},${api.token}`,
      `Basic ${Buffer.from(`${api.token}:`).toString('base64')}`,
      `Bearer ${'a'.repeat(8000)}`,
      'Bearer ab_',
      'Bearer null',
      'Bearer undefined',
    ])
      await everyRouteRefuses({ authorization });
  });

  it('header bytes that are not ASCII, and two Authorization headers, are refused without a 500', async () => {
    const raw = (headers: [string, string][]) =>
      new Promise<{ status: number; body: unknown }>((resolve, reject) => {
        const url = new URL(api.url);
        const req = httpRequest({ host: url.hostname, port: url.port, path: '/v1/me', method: 'GET' }, (res) => {
          let text = '';
          res.on('data', (c: Buffer) => (text += c.toString()));
          res.on('end', () => resolve({ status: res.statusCode!, body: JSON.parse(text) }));
        });
        for (const [k, v] of headers) req.appendHeader?.(k, v) ?? req.setHeader(k, v);
        req.on('error', reject);
        req.end();
      });
    expect401(await raw([['authorization', `Bearer ${api.token}\u00e9`]]), 'latin-1 byte in the token');
    // Node keeps the first Authorization header of a request: a second one (smuggled in after
    // the real one, e.g. by a page or proxy) never replaces it.
    expect401(await raw([['authorization', 'Bearer ab_wrong'], ['authorization', `Bearer ${api.token}`]]), 'two headers');
  });

  it('the valid token still works, so the refusals above are about the token', async () => {
    expect((await api.json('GET', '/v1/me')).status).toBe(200);
  });
});

// test/widget/widget-tokens.test.ts covers expired, wrong origin, wrong action, tampered,
// foreign-signed, revoked and other-organization widget tokens; these are the cross-cutting rest.
describe('widget token misuse', () => {
  const PAGE = 'https://page.example';
  const ALL = ['keycafe:book', 'keycafe:read', 'mapping:read', 'mapping:write'];
  const mint = async (token = api.token) => {
    const res = await api.json('POST', '/v1/widget-tokens', { origins: [PAGE], actions: ALL }, { token });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body.token as string;
  };
  const widgetCall = async (token: string | null, path = '/widget/v1/session', query = '') => {
    const res = await fetch(`${api.url}${path}${query}`, { headers: { origin: PAGE, ...(token ? { authorization: `Bearer ${token}` } : {}) } });
    return { status: res.status, body: await res.json() };
  };

  it('a widget token with every action opens no /v1 route', async () => {
    await everyRouteRefuses({ authorization: `Bearer ${await mint()}`, origin: PAGE });
  });

  it('an API token opens no widget route', async () => {
    expect((await widgetCall(await mint())).status).toBe(200);
    for (const path of ['/widget/v1/session', '/widget/v1/keycafe/keys', '/widget/v1/locks', '/widget/v1/mappings']) expect401(await widgetCall(api.token, path), path);
  });

  it('a widget token in the query string is not read', async () => {
    const token = await mint();
    for (const name of ['token', 'access_token', 'widget_token']) expect401(await widgetCall(null, '/widget/v1/session', `?${name}=${encodeURIComponent(token)}`), name);
  });

  it('the widget token of a deleted organization is refused', async () => {
    const doomed = await createOrganization(api.database.db, 'Deleted widget storage');
    const token = await mint((await createApiToken(api.database.db, doomed.id, 'page backend')).token);
    expect((await widgetCall(token)).status).toBe(200);
    await api.database.db.delete(organizations).where(eq(organizations.id, doomed.id));
    expect401(await widgetCall(token), 'deleted organization');
  });
});
