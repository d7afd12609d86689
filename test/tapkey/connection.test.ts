/** Test connection and lock import for a location, through the API against the sandbox. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALL_SCOPES, SANDBOX_OWNER_ID } from '../../sandbox/tapkey-api/index.ts';
import { tapkeyConnectionTestSchema } from '../../lib/contract.ts';
import { createLocation, startTapkeyWorld, type TapkeyTestWorld } from './helpers.ts';

let w: TapkeyTestWorld;
const LOCKS = 1050;

beforeAll(async () => {
  w = await startTapkeyWorld({ locks: LOCKS, worker: false });
  w.sb.state.addClient({ clientId: 'stranger', clientSecret: 's', allowedScopes: [...ALL_SCOPES], ownerIds: [] });
  w.sb.state.addClient({ clientId: 'readonly', clientSecret: 's', allowedScopes: ['read:owneraccounts', 'read:core:entities'], ownerIds: [SANDBOX_OWNER_ID] });
  w.sb.state.addOwner({ id: 'other-owner', name: 'Other site', active: true });
  w.sb.state.addClient({ clientId: 'elsewhere', clientSecret: 's', allowedScopes: [...ALL_SCOPES], ownerIds: ['other-owner'] });
});
afterAll(() => w.close());

const test = async (locationId: string) => {
  const res = await w.api.json('POST', `/v1/locations/${locationId}/tapkey/test`);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return tapkeyConnectionTestSchema.parse(res.body);
};

describe('POST /v1/locations/{id}/tapkey/test', () => {
  it('lists the owner accounts and the bound locks when everything is right', async () => {
    const r = await test(await createLocation(w.api));
    expect(r).toMatchObject({ ok: true, ownerFound: true, lockCount: LOCKS, problems: [] });
    expect(r.owners).toEqual([{ id: SANDBOX_OWNER_ID, name: 'AccessBridge Demo Storage', active: true }]);
    expect(r.locks).toHaveLength(50);
  });

  it('names a wrong secret', async () => {
    const r = await test(await createLocation(w.api, { name: 'Bad secret', clientSecret: 'wrong' }));
    expect(r.ok).toBe(false);
    expect(r.problems).toEqual([{ code: 'bad_credentials', message: expect.stringContaining('client ID or client secret') }]);
  });

  it('names a client that is not co-admin of any locking system', async () => {
    const r = await test(await createLocation(w.api, { name: 'Stranger', clientId: 'stranger', clientSecret: 's' }));
    expect(r.problems.map((p) => p.code)).toEqual(['not_co_admin']);
    expect(r.problems[0]!.message).toContain('co-admin');
  });

  it('names a locking system id the client does not administer, listing those it does', async () => {
    const r = await test(await createLocation(w.api, { name: 'Elsewhere', clientId: 'elsewhere', clientSecret: 's' }));
    expect(r.owners.map((o) => o.id)).toEqual(['other-owner']);
    expect(r.problems).toEqual([{ code: 'owner_not_found', message: expect.stringContaining('Other site (other-owner)') }]);
  });

  it('names a missing permission (scope)', async () => {
    const r = await test(await createLocation(w.api, { name: 'Read only', clientId: 'readonly', clientSecret: 's' }));
    expect(r.problems).toEqual([{ code: 'scope_missing', message: expect.stringContaining('ReadAndWrite') }]);
  });

  it('names a Tapkey that cannot be reached or rate limits', async () => {
    const id = await createLocation(w.api, { name: 'Flaky' });
    w.sb.faults.add({ kind: 'rate_limit', endpoint: 'owners.list', retryAfterSeconds: 60, times: 1 });
    expect((await test(id)).problems.map((p) => p.code)).toEqual(['rate_limited']);
    w.sb.faults.add({ kind: 'status', status: 500, endpoint: 'boundLocks.list', times: Infinity });
    expect((await test(id)).problems.map((p) => p.code)).toEqual(['provider_error']);
    w.sb.faults.clear();
  });

  it('answers 422 for a location without Tapkey settings and 404 for an unknown one', async () => {
    const plain = await w.api.json('POST', '/v1/locations', { name: 'No Tapkey' });
    const res = await w.api.json('POST', `/v1/locations/${plain.body.id}/tapkey/test`);
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('unprocessable');
    expect((await w.api.json('POST', '/v1/locations/00000000-0000-4000-8000-000000000000/tapkey/test')).status).toBe(404);
  });
});

describe('POST /v1/locations/{id}/tapkey/import-locks', () => {
  it(`imports ${LOCKS} bound locks (paged), merges a captured one by id, marks unbound ones inactive`, async () => {
    const locationId = await createLocation(w.api, { name: 'Import' });
    const [first, second] = [...w.sb.state.locks.values()];
    const captured = await w.api.json('POST', '/v1/locks/captured', {
      locks: [{ id: first!.id, title: 'Captured title', pageUrl: `https://portal.example/locks/${first!.id}`, locationId }],
    });
    expect(captured.status).toBeLessThan(300);

    const res = await w.api.json('POST', `/v1/locations/${locationId}/tapkey/import-locks`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ total: LOCKS, created: LOCKS - 1, updated: 1, unchanged: 0, deactivated: 0 });
    const merged = await w.api.json('GET', `/v1/locks/${first!.id}`);
    expect(merged.body).toMatchObject({ source: 'tapkey', title: first!.title, capturedUrl: `https://portal.example/locks/${first!.id}`, locationId });

    // Again: nothing changes. Then a lock is unbound in Tapkey.
    expect((await w.api.json('POST', `/v1/locations/${locationId}/tapkey/import-locks`)).body).toMatchObject({ created: 0, updated: 0, unchanged: LOCKS });
    w.sb.state.locks.delete(second!.id);
    expect((await w.api.json('POST', `/v1/locations/${locationId}/tapkey/import-locks`)).body).toMatchObject({ total: LOCKS - 1, deactivated: 1 });
    const audit = await w.api.json('GET', `/v1/audit-events?entity=location&entityId=${locationId}`);
    expect(audit.body.items.filter((e: { action: string }) => e.action === 'tapkey.locks_imported')).toHaveLength(3);
  });

  it('maps Tapkey refusals to the error body: bad secret 422, rate limit 429 with Retry-After, outage 503', async () => {
    const bad = await w.api.json('POST', `/v1/locations/${await createLocation(w.api, { name: 'Bad', clientSecret: 'nope' })}/tapkey/import-locks`);
    expect(bad.status).toBe(422);
    expect(bad.body).toMatchObject({ error: { code: 'unprocessable' }, fieldErrors: [], details: { provider: 'tapkey', kind: 'bad_credentials' } });

    const id = await createLocation(w.api, { name: 'Limited' });
    w.sb.faults.add({ kind: 'rate_limit', endpoint: 'boundLocks.list', retryAfterSeconds: 42, times: Infinity });
    const limited = await w.api.json('POST', `/v1/locations/${id}/tapkey/import-locks`);
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('42');
    w.sb.faults.clear();
    w.sb.faults.add({ kind: 'drop', endpoint: 'boundLocks.list', times: Infinity });
    const down = await w.api.json('POST', `/v1/locations/${id}/tapkey/import-locks`);
    expect(down.status).toBe(503);
    expect(down.body.error.code).toBe('unavailable');
    w.sb.faults.clear();
  });
});
