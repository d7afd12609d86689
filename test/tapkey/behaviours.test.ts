/**
 * The connector against both readings of what Tapkey's documentation leaves open (the fake's
 * lenient and strict behaviours, sandbox/tapkey-api/SOURCES.md): the grants lock filter,
 * asynchronous revoke, 409 on a repeated revoke, the revoke body, 401 for a missing scope, and
 * paging without a stable order. Each point runs in both modes.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoUnits } from '../../sandbox/demo-data.ts';
import { SANDBOX_CLIENT_ID, SANDBOX_CLIENT_SECRET, SANDBOX_OWNER_ID, startTapkeySandbox } from '../../sandbox/tapkey-api/index.ts';
import { syncRunSchema, tapkeyConnectionTestSchema } from '../../lib/contract.ts';
import { PermanentError } from '../../server/outbox/outbox.ts';
import { clearTapkeyTokenCache, TapkeyClient } from '../../server/tapkey/client.ts';
import { TapkeyError, toApiError, toOutboxError } from '../../server/tapkey/errors.ts';
import { activeInTapkey, createLocation, duplicatesInTapkey, grantState, lockOfUnit, setupUnits, startTapkeyWorld, type TapkeyTestWorld } from './helpers.ts';
import { waitUntil } from '../helpers/wait.ts';

const units = demoUnits(8);
const u = (i: number) => units[i]!;
const ALL = 'read:owneraccounts read:core:entities write:core:entities read:grants write:grants';

for (const mode of ['lenient', 'strict'] as const) {
  const strict = mode === 'strict';
  describe(`Tapkey connector, fake in ${mode} mode`, () => {
    let w: TapkeyTestWorld;
    let locationId: string;
    const booking = (id: string, unit: number, email: string) =>
      w.api.json('PUT', `/v1/bookings/${id}`, { unitExternalId: u(unit).externalId, tenantEmail: email, moveIn: '2026-01-01', state: 'active' });
    const status400 = () => w.sb.calls.log.filter((c) => c.endpoint === 'grants.list' && c.status === 400).length;

    beforeAll(async () => {
      w = await startTapkeyWorld({ behaviours: mode });
      locationId = await createLocation(w.api);
      expect((await w.api.json('POST', `/v1/locations/${locationId}/tapkey/import-locks`)).status).toBe(200);
      await setupUnits(w.api, locationId, units);
    });
    afterAll(() => w.close());

    it(`"Test connection" runs every query the sync runs and reports each call${strict ? ' (lock filter refused → fallback)' : ''}`, async () => {
      const res = await w.api.json('POST', `/v1/locations/${locationId}/tapkey/test`);
      expect(res.status).toBe(200);
      const t = tapkeyConnectionTestSchema.parse(res.body);
      expect(t.ok, JSON.stringify(t.problems)).toBe(true);
      const byPurpose = Object.fromEntries(t.calls.map((c) => [c.purpose, c]));
      expect(t.calls[0]).toMatchObject({ call: expect.stringContaining('POST /connect/token'), result: 'ok' });
      expect(byPurpose['the locking systems the client administers']).toMatchObject({ call: 'GET /Owners', result: 'ok' });
      expect(byPurpose['import the bound locks']).toMatchObject({ call: expect.stringContaining('/BoundLocks?$orderby=id'), result: 'ok' });
      expect(byPurpose['full sync: every active grant']).toMatchObject({ call: expect.stringContaining('Grants?$filter=active eq true&$orderby=id'), result: 'ok' });
      const lockCall = byPurpose["one lock's grants (every grant job)"]!;
      expect(lockCall.call).toContain("boundLockId eq '");
      if (strict) {
        expect(lockCall).toMatchObject({ result: 'fallback', status: 400 });
        expect(lockCall.message).toContain('active eq true');
        expect(t.lockFilter).toBe('client');
      } else {
        expect(lockCall).toMatchObject({ result: 'ok', status: null, message: null });
        expect(t.lockFilter).toBe('server');
      }
      for (const write of t.calls.filter((c) => c.result === 'not_tried')) expect(write.message).toContain('Grants to ReadAndWrite');
      expect(t.calls.filter((c) => c.result === 'not_tried').map((c) => c.purpose)).toEqual(['create a grant for a booking', 'revoke a grant']);
    });

    it('grants each booking exactly once, also when the lock filter is refused and a create answer is lost', async () => {
      clearTapkeyTokenCache(); // forget what "Test connection" learnt: the grant job must find out itself
      const creates = w.sb.calls.count('grants.create');
      const refusedBefore = status400();
      expect((await booking('B1', 0, 'one@example.com')).status).toBeLessThan(300);
      await grantState(w.api, 'B1', 'active');
      // The create takes effect at Tapkey but its answer is lost: the retry must adopt it.
      w.sb.faults.add({ kind: 'drop', after: true, endpoint: 'grants.create', times: 1 });
      expect((await booking('B2', 1, 'two@example.com')).status).toBeLessThan(300);
      await grantState(w.api, 'B2', 'active');
      expect(activeInTapkey(w.sb, 'one@example.com', lockOfUnit(u(0)))).toHaveLength(1);
      expect(activeInTapkey(w.sb, 'two@example.com', lockOfUnit(u(1)))).toHaveLength(1);
      expect(w.sb.calls.count('grants.create') - creates).toBe(2);
      expect(duplicatesInTapkey(w.sb)).toEqual([]);
      // Strict: one 400 taught the connector to filter by lock itself; it never asks again.
      expect(status400() - refusedBefore).toBe(strict ? 1 : 0);
    });

    it(`revoke sends the body; ${strict ? '"revoking" is shown until Tapkey finishes, then revoked' : 'revoked at once'}`, async () => {
      expect((await w.api.json('POST', '/v1/bookings/B1/revoke')).status).toBe(200);
      if (strict) {
        const revoking = await grantState(w.api, 'B1', 'revoking');
        expect(revoking.access.status).toBe('revoking');
        expect(revoking.access.message).toContain('next sync');
        // Still revoking after several follow-up checks: the state holds, nothing fails.
        await waitUntil('a follow-up check', async () => w.sb.calls.count('grants.get') >= 3);
        expect((await w.api.json('GET', '/v1/bookings/B1')).body.grant.state).toBe('revoking');
        w.sb.state.completeRevocations();
      }
      const done = await grantState(w.api, 'B1', 'revoked');
      expect(done.access.status).toBe('revoked');
      expect(activeInTapkey(w.sb, 'one@example.com', lockOfUnit(u(0)))).toHaveLength(0);
      const history = done.grantHistory.map((e: { toState: string }) => e.toState);
      expect(history.includes('revoking')).toBe(strict);
    });

    it('a grant being revoked is never adopted: restoring creates a new grant', async () => {
      const before = (await w.api.json('GET', '/v1/bookings/B2')).body.grant.tapkeyGrantId;
      expect((await w.api.json('POST', '/v1/bookings/B2/revoke')).status).toBe(200);
      await grantState(w.api, 'B2', strict ? 'revoking' : 'revoked');
      expect((await w.api.json('POST', '/v1/bookings/B2/restore')).status).toBe(200);
      if (strict) {
        // Tapkey still holds the grant being revoked (409 Duplicate): the job waits, never adopts it.
        await waitUntil('a refused create', async () => w.sb.calls.log.some((c) => c.endpoint === 'grants.create' && c.status === 409));
        expect((await w.api.json('GET', '/v1/bookings/B2')).body.grant.state).toBe('pending');
        w.sb.state.completeRevocations();
      }
      const restored = await grantState(w.api, 'B2', 'active');
      expect(restored.grant.tapkeyGrantId).not.toBe(before);
      expect(activeInTapkey(w.sb, 'two@example.com', lockOfUnit(u(1)))).toHaveLength(1);
    });

    it(`a revoke answered ${strict ? '409 (already revoked)' : '200 again'} counts as done`, async () => {
      // A grant nobody explains, on a lock without booking; revoked by hand in the portal meanwhile.
      const stray = w.sb.state.addContactGrant(SANDBOX_OWNER_ID, lockOfUnit(u(5)), 'stray@example.com');
      const run = syncRunSchema.parse((await w.api.json('POST', `/v1/locations/${locationId}/sync-runs`)).body);
      await waitUntil('scan done', async () => syncRunSchema.parse((await w.api.json('GET', `/v1/sync-runs/${run.id}`)).body).report.unexplainedGrants.scan === 'done');
      w.sb.state.revoke(stray);
      const revoke = await w.api.json('POST', `/v1/sync-runs/${run.id}/revoke-unexplained`);
      expect(revoke.body).toEqual({ queued: 1 });
      const item = await waitUntil('stray revoked', async () => {
        const r = syncRunSchema.parse((await w.api.json('GET', `/v1/sync-runs/${run.id}`)).body);
        const x = r.report.unexplainedGrants.items.find((i) => i.tapkeyGrantId === stray.id)!;
        return x.state !== 'revoking' || x.reason ? x : null;
      });
      if (strict) {
        expect(item).toMatchObject({ state: 'revoked', reason: 'Tapkey had revoked it already' });
        expect(w.sb.calls.log.some((c) => c.endpoint === 'grants.revoke' && c.status === 409)).toBe(true);
      } else expect(item).toMatchObject({ state: 'revoked', reason: null });
      expect(activeInTapkey(w.sb, 'stray@example.com', lockOfUnit(u(5)))).toHaveLength(0);
    });
  });

  describe(`Tapkey client, fake in ${mode} mode`, () => {
    it('pages with a stable $orderby: every lock once, even when the server reorders unordered lists', async () => {
      const sb = await startTapkeySandbox({ behaviours: mode, locks: 60 });
      try {
        clearTapkeyTokenCache();
        const c = new TapkeyClient({ tokenUrl: sb.tokenUrl, apiUrl: sb.apiUrl, clientId: SANDBOX_CLIENT_ID, clientSecret: SANDBOX_CLIENT_SECRET, pageSize: 7 });
        const locks = await c.listBoundLocks(SANDBOX_OWNER_ID);
        expect(locks).toHaveLength(60);
        expect(new Set(locks.map((l) => l.id)).size).toBe(60);
        expect(sb.calls.log.filter((x) => x.endpoint === 'boundLocks.list')).toHaveLength(9);
        // What the order protects against: without $orderby, strict pages overlap.
        const token = await c.token();
        const ids: string[] = [];
        for (let skip = 0; skip < 60; skip += 7) {
          const page = (await (await fetch(`${sb.apiUrl}/Owners/${SANDBOX_OWNER_ID}/BoundLocks?$top=7&$skip=${skip}`, { headers: { authorization: `Bearer ${token}` } })).json()) as { id: string }[];
          ids.push(...page.map((l) => l.id));
        }
        expect(new Set(ids).size === 60).toBe(!strict);
      } finally {
        await sb.close();
      }
    });

    it(`revoke sends ?dryRun=false and the documented body; a repeat answers ${strict ? '409 → already' : '200 → revoked'}`, async () => {
      const sb = await startTapkeySandbox({ behaviours: mode, locks: 3 });
      try {
        clearTapkeyTokenCache();
        const sent: { url: string; body: unknown }[] = [];
        const spy: typeof fetch = async (input, init) => {
          const req = input instanceof Request ? input : new Request(input, init);
          if (/\/Revoke/.test(req.url)) sent.push({ url: req.url, body: await req.clone().json() });
          return fetch(req);
        };
        const c = new TapkeyClient({ tokenUrl: sb.tokenUrl, apiUrl: sb.apiUrl, clientId: SANDBOX_CLIENT_ID, clientSecret: SANDBOX_CLIENT_SECRET, fetch: spy });
        const lock = (await c.listBoundLocks(SANDBOX_OWNER_ID))[0]!.id;
        const g = await c.createGrant(SANDBOX_OWNER_ID, { boundLockId: lock, email: 'rv@example.com', validFrom: null, validBefore: null });
        expect(await c.revokeGrant(SANDBOX_OWNER_ID, g.id)).toBe(strict ? 'revoking' : 'revoked');
        expect(await c.revokeGrant(SANDBOX_OWNER_ID, g.id)).toBe(strict ? 'already' : 'revoked');
        const fixture = JSON.parse(readFileSync(join(import.meta.dirname, '../fixtures/tapkey/revoke-request.json'), 'utf8')).example;
        expect(sent).toHaveLength(2);
        for (const call of sent) {
          expect(call.url).toContain(`/Grants/${g.id}/Revoke?dryRun=false`);
          expect(call.body).toEqual(fixture);
        }
      } finally {
        await sb.close();
      }
    });

    it(`a ${strict ? '401' : '403'} for a missing scope fails once, naming the Integrator-portal permission`, async () => {
      const sb = await startTapkeySandbox({ behaviours: mode, locks: 3 });
      try {
        clearTapkeyTokenCache();
        // A token without write:grants (Tapkey may grant less than asked).
        const c = new TapkeyClient({ tokenUrl: sb.tokenUrl, apiUrl: sb.apiUrl, clientId: SANDBOX_CLIENT_ID, clientSecret: SANDBOX_CLIENT_SECRET, scopes: ['read:owneraccounts', 'read:core:entities', 'read:grants'], retries: 3 });
        const lock = (await c.listBoundLocks(SANDBOX_OWNER_ID))[0]!.id;
        const err = (await c.createGrant(SANDBOX_OWNER_ID, { boundLockId: lock, email: 'x@example.com', validFrom: null, validBefore: null }).catch((e) => e)) as TapkeyError;
        expect(err).toBeInstanceOf(TapkeyError);
        expect(err.kind).toBe(strict ? 'unauthorized' : 'forbidden');
        expect(toOutboxError(err)).toBeInstanceOf(PermanentError);
        if (strict) {
          expect(toApiError(err).message).toContain('lacks the write:grants permission');
          expect(toApiError(err).message).toContain('set Grants to ReadAndWrite');
          // One re-login, then it stops: no retry loop on a permission problem.
          expect(sb.calls.count('token')).toBe(2);
          expect(sb.calls.count('grants.create')).toBe(2);
        }
      } finally {
        await sb.close();
      }
    });
  });
}

describe('invalid_scope at the token endpoint', () => {
  it('names the Integrator-portal permissions to set, in the error and in "Test connection"', async () => {
    const w = await startTapkeyWorld({ locks: 3 });
    try {
      w.sb.state.addClient({ clientId: 'read-only', clientSecret: 'ro-secret', allowedScopes: ['read:owneraccounts', 'read:core:entities', 'read:grants'], ownerIds: [SANDBOX_OWNER_ID] });
      const c = new TapkeyClient({ tokenUrl: w.sb.tokenUrl, apiUrl: w.sb.apiUrl, clientId: 'read-only', clientSecret: 'ro-secret' });
      const err = (await c.token().catch((e) => e)) as TapkeyError;
      expect(err.kind).toBe('scope_missing');
      // The fake's description names the scopes; the message turns them into portal settings.
      expect(toApiError(err).message).toContain('set Core Entities to ReadAndWrite, Grants to ReadAndWrite');
      const location = await createLocation(w.api, { name: 'Read only', clientId: 'read-only', clientSecret: 'ro-secret' });
      const t = tapkeyConnectionTestSchema.parse((await w.api.json('POST', `/v1/locations/${location}/tapkey/test`)).body);
      expect(t.ok).toBe(false);
      expect(t.calls).toHaveLength(1);
      expect(t.calls[0]).toMatchObject({ result: 'failed', status: 400 });
      expect(t.calls[0]!.message).toContain('Integrator portal');
      expect(t.problems[0]).toMatchObject({ code: 'scope_missing' });
      expect(ALL.split(' ')).toContain('write:grants');
    } finally {
      await w.close();
    }
  });
});
