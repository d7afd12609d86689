import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq, sql } from 'drizzle-orm';
import { createApiToken, hashToken, revokeApiToken } from '../../server/auth.ts';
import { apiTokens } from '../../server/db/schema/index.ts';
import { startTestApi, type TestApi } from '../helpers/api.ts';

let api: TestApi;
beforeAll(async () => {
  api = await startTestApi();
});
afterAll(() => api?.close());

const LOCK = '0b6c3f5e-2d7a-4e11-9c3b-5a8f7e6d4c21';

function expect401(res: { status: number; body: any; headers: Headers }) {
  expect(res.status).toBe(401);
  expect(res.body).toEqual({ error: { code: 'unauthorized', message: expect.any(String) }, fieldErrors: [] });
  expect(res.headers.get('www-authenticate')).toBe('Bearer');
}

describe('API tokens', () => {
  it('answers 401 with the JSON error body without a token, on every /v1 route', async () => {
    for (const [method, path] of [
      ['GET', '/v1/me'],
      ['GET', '/v1/locations'],
      ['POST', '/v1/locations'],
      ['GET', '/v1/units'],
      ['PUT', '/v1/units/U1'],
      ['GET', '/v1/locks'],
      ['POST', '/v1/locks/captured'],
      ['GET', '/v1/mappings'],
      ['PUT', '/v1/units/U1/mapping'],
      ['DELETE', '/v1/units/U1/mapping'],
      ['GET', '/v1/audit-events'],
      ['GET', '/v1/no-such-route'],
    ] as const) {
      const res = await api.json(method, path, method === 'GET' || method === 'DELETE' ? undefined : {}, { token: null });
      expect401(res);
      expect(res.body.error.message).toMatch(/Missing API token/);
    }
  });

  it('rejects malformed Authorization headers', async () => {
    for (const authorization of ['Basic dXNlcjpwYXNz', 'Bearer', `Token ${api.token}`, `Bearer ${api.token} extra`, api.token]) {
      expect401(await api.json('GET', '/v1/me', undefined, { token: null, headers: { authorization } }));
    }
  });

  it('rejects unknown tokens and accepts the scheme in any case', async () => {
    const res = await api.json('GET', '/v1/me', undefined, { token: 'ab_' + 'x'.repeat(43) });
    expect401(res);
    expect(res.body.error.message).toBe('Invalid or revoked API token');
    const ok = await api.json('GET', '/v1/me', undefined, { token: null, headers: { authorization: `bearer ${api.token}` } });
    expect(ok.status).toBe(200);
  });

  it('GET /v1/me names the organization and token, and records the last use', async () => {
    const res = await api.json('GET', '/v1/me');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ organization: { id: api.orgId, name: 'Test storage', createdAt: expect.any(String) }, tokenName: 'test' });
    expect(res.headers.get('www-authenticate')).toBeNull();
    const [row] = await api.database.db.select().from(apiTokens).where(eq(apiTokens.tokenHash, hashToken(api.token)));
    expect(row!.lastUsedAt).toBeInstanceOf(Date);
  });

  it('stores only a SHA-256 of the token', async () => {
    const { id, token } = await createApiToken(api.database.db, api.orgId, 'stored');
    expect(token).toMatch(/^ab_[A-Za-z0-9_-]{43}$/);
    const rows = (await api.database.db.execute(sql`select * from api_tokens where id = ${id}`)) as unknown as { rows: Record<string, unknown>[] };
    expect(JSON.stringify(rows.rows)).not.toContain(token);
    expect(rows.rows[0]!.token_hash).toBe(hashToken(token));
  });

  it('a revoked token gets 401 at once; revoking twice reports false', async () => {
    const { id, token } = await createApiToken(api.database.db, api.orgId, 'to revoke');
    expect((await api.json('GET', '/v1/me', undefined, { token })).status).toBe(200);
    expect(await revokeApiToken(api.database.db, id)).toBe(true);
    expect(await revokeApiToken(api.database.db, id)).toBe(false);
    const res = await api.json('GET', '/v1/me', undefined, { token });
    expect401(res);
  });

  it('public routes need no token', async () => {
    for (const path of ['/health', '/ready', '/openapi.json']) expect((await api.json('GET', path, undefined, { token: null })).status).toBe(200);
    expect((await api.fetch('/docs', { headers: { authorization: '' } })).status).toBe(200);
  });
});

describe('tenant isolation: another organization sees nothing of ours', () => {
  let other: { orgId: string; token: string };
  let locationId: string;
  const as = (method: string, path: string, body?: unknown) => api.json(method, path, body, { token: other.token });

  beforeAll(async () => {
    locationId = (await api.json('POST', '/v1/locations', { name: 'Secret site', tapkey: { clientId: 'cid', clientSecret: 'TOPSECRET', ownerAccountId: 'own' } })).body.id;
    expect((await api.json('PUT', '/v1/units/U-ISO', { name: 'Isolated unit', locationId })).status).toBe(201);
    await api.json('POST', '/v1/locks/captured', { locks: [{ id: LOCK, title: 'Isolated lock', pageUrl: `https://portal.tapkey.io/locks/${LOCK}` }] });
    expect((await api.json('PUT', '/v1/units/U-ISO/mapping', { lockId: LOCK })).status).toBe(201);
    other = await api.newOrg();
  });

  const leaks = (res: { body: unknown }) => {
    const text = JSON.stringify(res.body);
    for (const secret of ['Secret site', 'Isolated unit', 'Isolated lock', 'TOPSECRET', locationId]) expect(text).not.toContain(secret);
  };

  it('answers 404 for our resources by id', async () => {
    for (const [method, path, body] of [
      ['GET', `/v1/locations/${locationId}`],
      ['PATCH', `/v1/locations/${locationId}`, { name: 'Hijacked' }],
      ['DELETE', `/v1/locations/${locationId}`],
      ['GET', '/v1/units/U-ISO'],
      ['GET', `/v1/locks/${LOCK}`],
      ['PUT', '/v1/units/U-ISO/mapping', { lockId: LOCK }],
      ['DELETE', '/v1/units/U-ISO/mapping'],
    ] as const) {
      const res = await as(method, path, body);
      expect(res.status, `${method} ${path}`).toBe(404);
      expect(res.body.error.code).toBe('not_found');
      leaks(res);
    }
  });

  it('lists are empty for the other organization', async () => {
    for (const path of [
      '/v1/locations',
      '/v1/units',
      '/v1/units?search=Isolated',
      '/v1/locks',
      `/v1/locks?search=${LOCK}`,
      '/v1/mappings',
      `/v1/mappings?lockId=${LOCK}`,
      '/v1/mappings?unitExternalId=U-ISO',
      '/v1/audit-events',
      `/v1/audit-events?entity=location&entityId=${locationId}`,
    ]) {
      const res = await as('GET', path);
      expect(res.status, path).toBe(200);
      expect(res.body, path).toEqual({ items: [], total: 0 });
    }
  });

  it('refuses our location id in its request bodies without revealing it exists', async () => {
    const unit = await as('PUT', '/v1/units/B-1', { name: 'B', locationId });
    expect(unit.status).toBe(400);
    expect(unit.body.fieldErrors).toEqual([{ path: 'locationId', message: 'No such location in your organization' }]);
    const capture = await as('POST', '/v1/locks/captured', { locks: [{ id: LOCK, pageUrl: 'https://portal.tapkey.io/', locationId }] });
    expect(capture.status).toBe(400);
    expect(capture.body.fieldErrors).toEqual([{ path: 'locks.0.locationId', message: 'No such location in your organization' }]);
  });

  it('the same external id and lock id are separate resources per organization', async () => {
    const unit = await as('PUT', '/v1/units/U-ISO', { name: 'Their unit' });
    expect(unit.status).toBe(201);
    const capture = await as('POST', '/v1/locks/captured', { locks: [{ id: LOCK, title: 'Their lock', pageUrl: 'https://portal.tapkey.io/' }] });
    expect(capture.body).toMatchObject({ created: 1, updated: 0, unchanged: 0 });
    expect((await as('PUT', '/v1/units/U-ISO/mapping', { lockId: LOCK })).status).toBe(201);

    expect((await api.json('GET', '/v1/units/U-ISO')).body.name).toBe('Isolated unit');
    expect((await api.json('GET', `/v1/locks/${LOCK}`)).body.title).toBe('Isolated lock');
    const ours = await api.json('GET', '/v1/mappings');
    expect(ours.body.total).toBe(1);
    expect(ours.body.items[0].unit.name).toBe('Isolated unit');
    expect((await api.json('GET', `/v1/locations/${locationId}`)).body.name).toBe('Secret site');
  });
});
