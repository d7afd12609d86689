/**
 * "Test connection" for Keycafe through the API, in both sandbox modes: an account that holds
 * an API key (not a token) is found and kept; each call is reported; and another organization
 * that knows an account's email cannot lock that account out (per-credential buckets, tests
 * charged to the caller's organization and limited per organization).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KeycafeBooking } from '../../lib/contract.ts';
import { DEMO_KEYCAFE_EMAIL, DEMO_KEYCAFE_TOKEN } from '../../sandbox/keycafe/index.ts';
import type { KeycafeSandboxMode } from '../../sandbox/keycafe/server.ts';
import { seedKeys } from '../../sandbox/keycafe/data.ts';
import { startKeycafeWorld, type KeycafeWorld } from './helpers.ts';

const KEYHOLDER = { email: 'keyholder@accessbridge.test', token: 'kc_unused_token', apiKey: 'kc_dashboard_key' };

describe.each(['strict', 'lenient'] as KeycafeSandboxMode[])('Keycafe connection test (%s sandbox)', (mode) => {
  let w: KeycafeWorld;
  beforeAll(async () => {
    w = await startKeycafeWorld({
      speed: 30,
      sandbox: { mode, accounts: [{ email: DEMO_KEYCAFE_EMAIL, token: DEMO_KEYCAFE_TOKEN }, KEYHOLDER] },
    });
  });
  afterAll(() => w.close());

  it('finds that an account holds an API key, keeps that, and books with it', async () => {
    const loc = await w.api.json('POST', '/v1/locations', { name: 'Key holder', timeZone: 'Europe/Berlin', keycafe: { accountEmail: KEYHOLDER.email, apiToken: KEYHOLDER.apiKey } });
    expect(loc.status).toBe(201);
    const test = await w.api.json('POST', `/v1/locations/${loc.body.id}/keycafe/test`);
    expect(test.status).toBe(200);
    expect(test.body).toMatchObject({ authType: 'key', keys: seedKeys().length, locations: 4 });
    expect(test.body.calls.slice(0, 2).map((c: { authType: string; ok: boolean }) => [c.authType, c.ok])).toEqual([
      ['token', false],
      ['key', true],
    ]);
    const stored = await w.api.json('GET', `/v1/locations/${loc.body.id}`);
    expect(stored.body.keycafe).toEqual({ accountEmail: KEYHOLDER.email, hasToken: true, authType: 'key' });
    // The jobs now send `{email}/key`.
    const booking = await w.api.json<KeycafeBooking>('POST', '/v1/keycafe/bookings', {
      locationId: loc.body.id,
      keyIds: ['10010'],
      recipient: { email: 'key-visitor@example.com' },
      type: 'ongoing',
    });
    expect(booking.status).toBe(201);
    const done = await w.waitForBooking(booking.body.id);
    expect(done.state).toBe('active');
  });

  it('an explicit credential type is tried alone and named in the answer', async () => {
    const res = await w.api.json('POST', `/v1/locations/${w.locationId}/keycafe/test`, { apiToken: DEMO_KEYCAFE_TOKEN, authType: 'key' });
    expect(res.status).toBe(422);
    expect(res.body.error.message).toMatch(/^Keycafe did not accept this email with this API key \("demo@accessbridge.test\/key"\)/);
    expect(res.body.details.calls).toHaveLength(1);
    const de = await w.api.json('POST', `/v1/locations/${w.locationId}/keycafe/test`, { apiToken: 'nope', authType: 'token' }, { headers: { 'accept-language': 'de' } });
    expect(de.body.error.message).toMatch(/^Keycafe hat diese E-Mail mit diesem API-Token nicht akzeptiert/);
  });

  it("another organization that knows the account email cannot spend the account's budget", async () => {
    const attacker = await w.api.newOrg('Attacker');
    const loc = await w.api.json('POST', '/v1/locations', { name: 'Trap', keycafe: { accountEmail: DEMO_KEYCAFE_EMAIL, apiToken: 'guessed' } }, { token: attacker.token });
    expect(loc.status).toBe(201);
    let limited = 0;
    // Time stands still while the attacker hammers, so the count is exact.
    w.clock.speed = 0;
    for (let i = 0; i < 70; i++) {
      const r = await w.api.json('POST', `/v1/locations/${loc.body.id}/keycafe/test`, { apiToken: `guess-${i}` }, { token: attacker.token });
      if (r.status === 429) limited++;
      else expect(r.status).toBe(422);
    }
    // The attacker is limited per organization (10 tests a minute) …
    expect(limited).toBe(60);
    // … and the victim's own bucket is untouched: its test and its bookings go through.
    expect(w.service.limiterFor({ email: DEMO_KEYCAFE_EMAIL, token: DEMO_KEYCAFE_TOKEN, authType: 'token' }).used).toBe(0);
    w.clock.speed = 30;
    const victim = await w.api.json('POST', `/v1/locations/${w.locationId}/keycafe/test`);
    expect(victim.status).toBe(200);
    const booking = await w.api.json<KeycafeBooking>('POST', '/v1/keycafe/bookings', {
      locationId: w.locationId,
      keyIds: ['10011'],
      recipient: { email: 'victim-visitor@example.com' },
      type: 'ongoing',
    });
    expect((await w.waitForBooking(booking.body.id)).state).toBe('active');
  });

  it('the organization limit answers 429 with Retry-After, in the caller’s language', async () => {
    const org = await w.api.newOrg('Busy');
    const loc = await w.api.json('POST', '/v1/locations', { name: 'Busy', keycafe: { accountEmail: DEMO_KEYCAFE_EMAIL, apiToken: DEMO_KEYCAFE_TOKEN } }, { token: org.token });
    let res;
    w.clock.speed = 0;
    for (let i = 0; i < 12; i++) res = await w.api.json('POST', `/v1/locations/${loc.body.id}/keycafe/test`, undefined, { token: org.token, headers: { 'accept-language': 'fr' } });
    expect(res!.status).toBe(429);
    expect(res!.body.error.message).toMatch(/^Trop de tests de connexion Keycafe/);
    expect(res!.headers.get('retry-after')).toMatch(/^\d+$/);
    w.clock.speed = 30;
  });
});
