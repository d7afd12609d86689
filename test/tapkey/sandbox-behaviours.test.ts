/**
 * The fake Tapkey API's switchable behaviours (sandbox/tapkey-api/SOURCES.md): each undocumented
 * point answers one way in lenient mode and the other in strict mode, so connector tests can run
 * against both readings.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoLocks } from '../../sandbox/demo-data.ts';
import { LENIENT_BEHAVIOURS, SANDBOX_CLIENT_ID, SANDBOX_CLIENT_SECRET, SANDBOX_OWNER_ID, STRICT_BEHAVIOURS, startTapkeySandbox, type TapkeySandbox } from '../../sandbox/tapkey-api/index.ts';

const owner = `/Owners/${SANDBOX_OWNER_ID}`;
const lockId = demoLocks()[0]!.id.toLowerCase();

async function session(sb: TapkeySandbox, scope = 'read:owneraccounts read:core:entities write:core:entities read:grants write:grants') {
  const res = await fetch(sb.tokenUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'client_credentials', client_id: SANDBOX_CLIENT_ID, client_secret: SANDBOX_CLIENT_SECRET, scope }),
  });
  const { access_token } = (await res.json()) as { access_token: string };
  return (path: string, init: RequestInit = {}) =>
    fetch(`${sb.apiUrl}${path}`, { ...init, headers: { authorization: `Bearer ${access_token}`, 'content-type': 'application/json', ...init.headers } });
}

for (const mode of ['lenient', 'strict'] as const) {
  describe(`fake Tapkey, ${mode} behaviours`, () => {
    let sb: TapkeySandbox;
    let api: Awaited<ReturnType<typeof session>>;
    const strict = mode === 'strict';
    beforeAll(async () => {
      sb = await startTapkeySandbox({ behaviours: mode, locks: 60 });
      api = await session(sb);
    });
    afterAll(() => sb.close());

    it('reports its behaviours over HTTP and lets a test switch one', async () => {
      expect(await (await fetch(`${sb.url}/_sandbox/behaviours`)).json()).toEqual(strict ? STRICT_BEHAVIOURS : LENIENT_BEHAVIOURS);
      expect((await fetch(`${sb.url}/_sandbox/behaviours`, { method: 'POST', body: JSON.stringify({ lockFilter: 'sometimes' }) })).status).toBe(400);
    });

    it(`the grants lock filter is ${strict ? 'refused with 400' : 'accepted'}; active eq true always works`, async () => {
      sb.state.addContactGrant(SANDBOX_OWNER_ID, lockId, `filter-${mode}@example.com`);
      const byLock = await api(`${owner}/Grants?$filter=${encodeURIComponent(`active eq true and boundLockId eq '${lockId}'`)}`);
      expect(byLock.status).toBe(strict ? 400 : 200);
      if (strict) expect(await byLock.json()).toMatchObject({ ErrorCode: 'BadRequest' });
      const active = await api(`${owner}/Grants?$filter=${encodeURIComponent('active eq true')}`);
      expect(active.status).toBe(200);
      expect(((await active.json()) as unknown[]).length).toBeGreaterThan(0);
    });

    it(`revoke ${strict ? 'needs the JSON body, is asynchronous and answers 409 when repeated' : 'works with the query alone, at once, and again with 200'}`, async () => {
      const g = sb.state.addContactGrant(SANDBOX_OWNER_ID, lockId, `revoke-${mode}@example.com`);
      const path = `${owner}/Grants/${g.id}/Revoke?dryRun=false`;
      const bare = await api(path, { method: 'POST' });
      expect(bare.status).toBe(strict ? 400 : 200);
      const first = await api(path, { method: 'POST', body: JSON.stringify({ dryRun: false }) });
      if (strict) {
        expect(first.status).toBe(200);
        expect(await first.json()).toMatchObject({ active: true, state: 'Revoking' });
        const again = await api(path, { method: 'POST', body: JSON.stringify({ dryRun: false }) });
        expect(again.status).toBe(409);
        expect(await again.json()).toMatchObject({ Message: 'The desired state is already present.' });
        expect(await (await fetch(`${sb.url}/_sandbox/complete-revocations`, { method: 'POST' })).json()).toEqual({ completed: 1 });
      } else {
        expect((await api(path, { method: 'POST', body: JSON.stringify({ dryRun: false }) })).status).toBe(200);
      }
      expect(await (await api(`${owner}/Grants/${g.id}`)).json()).toMatchObject({ active: false, state: 'Revoked' });
      // dryRun: true never changes anything.
      const other = sb.state.addContactGrant(SANDBOX_OWNER_ID, lockId, `dry-${mode}@example.com`);
      expect(await (await api(`${owner}/Grants/${other.id}/Revoke`, { method: 'POST', body: JSON.stringify({ dryRun: true }) })).json()).toMatchObject({ active: true, state: 'Ok' });
    });

    it(`a token without the scope gets ${strict ? '401' : '403'}`, async () => {
      const readOnly = await session(sb, 'read:owneraccounts read:core:entities');
      const res = await readOnly(`${owner}/Grants`);
      expect(res.status).toBe(strict ? 401 : 403);
      if (strict) expect(res.headers.get('www-authenticate')).toContain('insufficient_scope');
    });

    it(`lists without $orderby come in ${strict ? 'a changing' : 'a stable'} order; with $orderby=id always sorted`, async () => {
      const page = async (q: string) => ((await (await api(`${owner}/BoundLocks?${q}`)).json()) as { id: string }[]).map((l) => l.id);
      const a = await page('$top=20&$skip=0');
      const b = await page('$top=20&$skip=0');
      if (strict) expect(a).not.toEqual(b);
      else expect(a).toEqual(b);
      const sorted = await page('$orderby=id&$top=60');
      expect(sorted).toEqual([...sorted].sort());
      expect(await page('$orderby=id&$top=20&$skip=0')).toEqual(sorted.slice(0, 20));
    });

    it('card grants come with contact null and a boundCardId (documented card grant shape)', async () => {
      const card = sb.state.addCardGrant(SANDBOX_OWNER_ID, lockId, 'card-7');
      expect(await (await api(`${owner}/Grants/${card.id}`)).json()).toMatchObject({ contact: null, contactId: null, boundCardId: 'card-7', boundLockId: lockId, active: true, state: 'Ok' });
    });
  });
}
