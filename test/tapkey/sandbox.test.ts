/** The fake Tapkey API against the documented shapes (sandbox/tapkey-api/SOURCES.md) and its fault controls. */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SANDBOX_CLIENT_ID, SANDBOX_CLIENT_SECRET, SANDBOX_OWNER_ID, startTapkeySandbox, type TapkeySandbox } from '../../sandbox/tapkey-api/index.ts';
import { demoLocks } from '../../sandbox/demo-data.ts';

let sb: TapkeySandbox;
const SCOPES = 'read:owneraccounts read:core:entities write:core:entities read:grants write:grants';

async function token(scope = SCOPES, secret = SANDBOX_CLIENT_SECRET, clientId = SANDBOX_CLIENT_ID) {
  return fetch(sb.tokenUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'client_credentials', client_id: clientId, client_secret: secret, scope }),
  });
}
let bearer: string;
const api = (path: string, init: RequestInit = {}) =>
  fetch(`${sb.apiUrl}${path}`, { ...init, headers: { authorization: `Bearer ${bearer}`, 'content-type': 'application/json', ...init.headers } });
const owner = `/Owners/${SANDBOX_OWNER_ID}`;

beforeAll(async () => {
  sb = await startTapkeySandbox();
  bearer = ((await (await token()).json()) as { access_token: string }).access_token;
});
afterAll(() => sb.close());
beforeEach(() => {
  sb.faults.clear();
  sb.state.duplicateGrants = 'reject';
});

describe('token endpoint (client credentials)', () => {
  it('answers access_token, expires_in and token_type for a form-encoded request', async () => {
    const res = await token();
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body).toMatchObject({ access_token: expect.any(String), expires_in: 3600, token_type: 'Bearer' });
  });

  it('rejects a wrong secret, an unknown client, a scope the client lacks and a JSON body', async () => {
    expect(await (await token(SCOPES, 'wrong')).json()).toMatchObject({ error: 'invalid_client' });
    expect(await (await token(SCOPES, 'x', 'nobody')).json()).toMatchObject({ error: 'invalid_client' });
    sb.state.addClient({ clientId: 'ro', clientSecret: 's', allowedScopes: ['read:owneraccounts'], ownerIds: [SANDBOX_OWNER_ID] });
    const scoped = await token('read:owneraccounts write:grants', 's', 'ro');
    expect(scoped.status).toBe(400);
    expect(await scoped.json()).toMatchObject({ error: 'invalid_scope' });
    const json = await fetch(sb.tokenUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(json.status).toBe(400);
  });
});

describe('REST API', () => {
  it('needs a valid bearer token: 401 without one', async () => {
    expect((await fetch(`${sb.apiUrl}/Owners`)).status).toBe(401);
    expect((await fetch(`${sb.apiUrl}/Owners`, { headers: { authorization: 'Bearer nope' } })).status).toBe(401);
  });

  it('lists owners as [{id, name, active}] and answers paths in any case', async () => {
    const owners = await (await api('/Owners')).json();
    expect(owners).toEqual([{ id: SANDBOX_OWNER_ID, name: expect.any(String), active: true }]);
    expect(await (await api('/owners')).json()).toEqual(owners);
    expect((await api(`/OWNERS/${SANDBOX_OWNER_ID}/boundlocks?$top=1`)).status).toBe(200);
  });

  it('lists bound locks as a bare array with the documented fields, seeded from the demo world', async () => {
    const locks = (await (await api(`${owner}/BoundLocks`)).json()) as Record<string, unknown>[];
    expect(Array.isArray(locks)).toBe(true);
    expect(locks.map((l) => l.id)).toEqual(demoLocks().map((l) => l.id));
    expect(locks.map((l) => l.title)).toEqual(demoLocks().map((l) => l.title));
    expect(locks[0]).toMatchObject({
      active: true,
      bindDate: expect.any(String),
      description: null,
      physicalLockId: expect.any(String),
      lockTypeId: 'TK.Td30',
      targetType: 'Lock',
      ownerAccountId: SANDBOX_OWNER_ID,
      unbindDate: null,
    });
    // physicalLockId: base64 with a 2-byte length prefix.
    const raw = Buffer.from(locks[0]!.physicalLockId as string, 'base64');
    expect(raw[1]).toBe(raw.length - 2);
  });

  it('pages with $top/$skip and filters with $filter', async () => {
    const page = (await (await api(`${owner}/BoundLocks?$top=5&$skip=10`)).json()) as { id: string }[];
    expect(page.map((l) => l.id)).toEqual(demoLocks().slice(10, 15).map((l) => l.id));
    const title = demoLocks()[3]!.title;
    const filtered = (await (await api(`${owner}/BoundLocks?$filter=${encodeURIComponent(`title eq '${title}'`)}`)).json()) as { title: string }[];
    expect(filtered.map((l) => l.title)).toEqual([title]);
    expect((await api(`${owner}/BoundLocks?$filter=${encodeURIComponent('title gt 1')}`)).status).toBe(400);
  });

  it('creates contacts with PUT and returns the existing one for the same identifier', async () => {
    const a = await (await api(`${owner}/Contacts`, { method: 'PUT', body: JSON.stringify({ ipId: 'tapkey', identifier: 'c1@example.com', title: 'C1' }) })).json();
    expect(a).toMatchObject({ id: expect.any(String), ipId: 'tapkey', identifier: 'c1@example.com', email: 'c1@example.com', title: 'C1' });
    const b = await (await api(`${owner}/Contacts`, { method: 'PUT', body: JSON.stringify({ ipId: 'tapkey', identifier: 'c1@example.com' }) })).json();
    expect(b.id).toBe(a.id);
    const listed = (await (await api(`${owner}/Contacts?$filter=${encodeURIComponent("identifier eq 'c1@example.com'")}`)).json()) as unknown[];
    expect(listed).toHaveLength(1);
  });

  it('creates grants with an inline contact or a contactId, rejects a duplicate with ErrorCode Duplicate, revokes', async () => {
    const lock = demoLocks()[0]!.id;
    const res = await api(`${owner}/Grants`, {
      method: 'PUT',
      body: JSON.stringify({ boundLockId: lock, contact: { identifier: 'g1@example.com' }, validFrom: '2026-01-01T00:00:00.000Z', validBefore: '2027-01-01T00:00:00.000Z' }),
    });
    expect(res.status).toBe(200);
    const grant = await res.json();
    expect(grant).toMatchObject({ id: expect.any(String), boundLockId: lock, state: 'Ok', active: true, validFrom: '2026-01-01T00:00:00.000Z', contact: { identifier: 'g1@example.com' } });

    const dup = await api(`${owner}/Grants`, { method: 'PUT', body: JSON.stringify({ boundLockId: lock, contactId: grant.contactId }) });
    expect(dup.status).toBe(409);
    expect(await dup.json()).toMatchObject({ ErrorCode: 'Duplicate' });

    const active = (await (await api(`${owner}/Grants?$filter=${encodeURIComponent('active eq true')}`)).json()) as { id: string }[];
    expect(active.map((g) => g.id)).toContain(grant.id);

    const revoked = await api(`${owner}/Grants/${grant.id}/Revoke?dryRun=false`, { method: 'POST' });
    expect(revoked.status).toBe(200);
    expect(await revoked.json()).toMatchObject({ state: 'Revoked', active: false });
    // PUT is accepted too (one unconfirmed report says Revoke needs PUT).
    expect((await api(`${owner}/grants/${grant.id}/revoke`, { method: 'PUT' })).status).toBe(200);
    const after = (await (await api(`${owner}/Grants?$filter=${encodeURIComponent('active eq true')}`)).json()) as { id: string }[];
    expect(after.map((g) => g.id)).not.toContain(grant.id);
  });

  it('validates grant bodies: unknown lock 404, bad dates 400, window backwards 400', async () => {
    const lock = demoLocks()[1]!.id;
    expect((await api(`${owner}/Grants`, { method: 'PUT', body: JSON.stringify({ boundLockId: '00000000-0000-4000-8000-000000000000', contact: { identifier: 'x@example.com' } }) })).status).toBe(404);
    expect((await api(`${owner}/Grants`, { method: 'PUT', body: JSON.stringify({ boundLockId: lock, contact: { identifier: 'x@example.com' }, validFrom: 'soon' }) })).status).toBe(400);
    const backwards = await api(`${owner}/Grants`, {
      method: 'PUT',
      body: JSON.stringify({ boundLockId: lock, contact: { identifier: 'x@example.com' }, validFrom: '2026-02-01T00:00:00Z', validBefore: '2026-01-01T00:00:00Z' }),
    });
    expect(backwards.status).toBe(400);
    expect(await backwards.json()).toMatchObject({ ErrorCode: 'BadRequest', Message: expect.stringContaining('validBefore') });
  });

  it('answers 403 to a client that is not co-admin and lists no owners for it', async () => {
    sb.state.addClient({ clientId: 'stranger', clientSecret: 's', allowedScopes: ['read:owneraccounts', 'read:core:entities'], ownerIds: [] });
    const t = ((await (await token('read:owneraccounts read:core:entities', 's', 'stranger')).json()) as { access_token: string }).access_token;
    const h = { authorization: `Bearer ${t}` };
    expect(await (await fetch(`${sb.apiUrl}/Owners`, { headers: h })).json()).toEqual([]);
    expect((await fetch(`${sb.apiUrl}${owner}/BoundLocks`, { headers: h })).status).toBe(403);
    expect((await fetch(`${sb.apiUrl}/Owners/nope/BoundLocks`, { headers: h })).status).toBe(404);
  });

  it('answers 403 when the token lacks the scope of the endpoint', async () => {
    const t = ((await (await token('read:owneraccounts')).json()) as { access_token: string }).access_token;
    const res = await fetch(`${sb.apiUrl}${owner}/BoundLocks`, { headers: { authorization: `Bearer ${t}` } });
    expect(res.status).toBe(403);
    expect(await res.json()).toMatchObject({ ErrorCode: 'InsufficientScope' });
  });
});

describe('fault injection and call counting', () => {
  it('injects 429 with Retry-After, 500, token expiry, slow answers; counts calls per endpoint', async () => {
    sb.calls.clear();
    sb.faults.add({ kind: 'rate_limit', endpoint: 'owners.list', retryAfterSeconds: 7, times: 1 });
    sb.faults.add({ kind: 'status', status: 503, endpoint: 'owners.list', times: 1 });
    sb.faults.add({ kind: 'expire_token', endpoint: 'owners.list', times: 1 });
    const r1 = await api('/Owners');
    expect(r1.status).toBe(429);
    expect(r1.headers.get('retry-after')).toBe('7');
    expect((await api('/Owners')).status).toBe(503);
    expect((await api('/Owners')).status).toBe(401);
    expect((await api('/Owners')).status).toBe(200);
    sb.faults.add({ kind: 'slow', delayMs: 300, endpoint: 'owners.list', times: 1 });
    const t0 = Date.now();
    expect((await api('/Owners')).status).toBe(200);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(280);
    expect(sb.calls.count('owners.list')).toBe(5);
    expect(sb.calls.log.filter((c) => c.fault).map((c) => c.fault)).toEqual(['rate_limit', 'status', 'expire_token', 'slow']);
  });

  it('drops connections and hangs until the client gives up', async () => {
    sb.faults.add({ kind: 'drop', endpoint: 'owners.list', times: 1 });
    await expect(api('/Owners')).rejects.toThrow();
    sb.faults.add({ kind: 'timeout', endpoint: 'owners.list', times: 1 });
    await expect(api('/Owners', { signal: AbortSignal.timeout(300) })).rejects.toThrow();
    expect((await api('/Owners')).status).toBe(200);
  });

  it('"after" faults apply the call first: the grant exists though the caller saw a failure', async () => {
    const lock = demoLocks()[5]!.id;
    sb.faults.add({ kind: 'status', status: 500, endpoint: 'grants.create', after: true, times: 1 });
    const res = await api(`${owner}/Grants`, { method: 'PUT', body: JSON.stringify({ boundLockId: lock, contact: { identifier: 'after@example.com' } }) });
    expect(res.status).toBe(500);
    expect(sb.state.activeGrantsByContactAndLock().get(`after@example.com|${lock}`)).toHaveLength(1);
  });

  it('a probability fault hits a reproducible share of calls', async () => {
    sb.faults.seed(7);
    sb.faults.add({ kind: 'status', status: 500, endpoint: 'owners.get', probability: 0.1, times: Infinity });
    let failed = 0;
    for (let i = 0; i < 300; i++) if ((await api(owner)).status === 500) failed++;
    expect(failed).toBeGreaterThan(10);
    expect(failed).toBeLessThan(60);
  });

  it('expires tokens after expires_in and on demand', async () => {
    const short = await startTapkeySandbox({ tokenLifetimeSeconds: 1, locks: 3 });
    try {
      const res = await fetch(short.tokenUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ grant_type: 'client_credentials', client_id: SANDBOX_CLIENT_ID, client_secret: SANDBOX_CLIENT_SECRET, scope: 'read:owneraccounts' }),
      });
      const t = ((await res.json()) as { access_token: string }).access_token;
      const h = { authorization: `Bearer ${t}` };
      expect((await fetch(`${short.apiUrl}/Owners`, { headers: h })).status).toBe(200);
      await new Promise((r) => setTimeout(r, 1100));
      expect((await fetch(`${short.apiUrl}/Owners`, { headers: h })).status).toBe(401);
      expect(short.state.locks.size).toBe(3);
    } finally {
      await short.close();
    }
  });

  it('is controllable over HTTP too (for a sandbox in another process)', async () => {
    const add = await fetch(`${sb.url}/_sandbox/faults`, { method: 'POST', body: JSON.stringify({ kind: 'status', status: 502, endpoint: 'owners.list', times: 1 }) });
    expect(add.status).toBe(201);
    expect((await api('/Owners')).status).toBe(502);
    const calls = (await (await fetch(`${sb.url}/_sandbox/calls`)).json()) as { total: number };
    expect(calls.total).toBeGreaterThan(0);
    expect(await (await fetch(`${sb.url}/_sandbox/credentials`)).json()).toEqual({ clientId: SANDBOX_CLIENT_ID, clientSecret: SANDBOX_CLIENT_SECRET, ownerAccountId: SANDBOX_OWNER_ID });
  });
});
