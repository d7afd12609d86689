import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { locationSchema } from '../../lib/contract.ts';
import { decryptSecret } from '../../server/secrets.ts';
import { startTestApi, type TestApi } from '../helpers/api.ts';

let api: TestApi;
beforeAll(async () => {
  api = await startTestApi();
});
afterAll(() => api?.close());

const rawRow = async (id: string) =>
  ((await api.database.db.execute(sql`select * from locations where id = ${id}`)) as unknown as { rows: Record<string, any>[] }).rows[0];

const auditOf = async (id: string) => (await api.json('GET', `/v1/audit-events?entity=location&entityId=${id}`)).body.items;

describe('locations', () => {
  it('creates a location with provider connections; secrets are encrypted at rest and never returned', async () => {
    const res = await api.json('POST', '/v1/locations', {
      name: '  Berlin Mitte ',
      timeZone: 'Europe/Berlin',
      tapkey: { clientId: 'client-1', clientSecret: 'tk-secret-123', ownerAccountId: 'owner-9' },
      keycafe: { accountEmail: 'Ops@Example.com', apiToken: 'kc-token-456' },
    });
    expect(res.status).toBe(201);
    expect(locationSchema.parse(res.body)).toEqual(res.body);
    expect(res.body).toMatchObject({
      name: 'Berlin Mitte',
      timeZone: 'Europe/Berlin',
      tapkey: { clientId: 'client-1', ownerAccountId: 'owner-9', hasSecret: true, syncMode: 'gradual', accessTrigger: 'booking_creation' },
      keycafe: { accountEmail: 'ops@example.com', hasToken: true },
    });
    const answers = [res.body, (await api.json('GET', `/v1/locations/${res.body.id}`)).body, (await api.json('GET', '/v1/locations')).body];
    answers.push(await auditOf(res.body.id));
    for (const a of answers) {
      expect(JSON.stringify(a)).not.toContain('tk-secret-123');
      expect(JSON.stringify(a)).not.toContain('kc-token-456');
    }

    const row = await rawRow(res.body.id);
    expect(JSON.stringify(row)).not.toContain('tk-secret-123');
    expect(JSON.stringify(row)).not.toContain('kc-token-456');
    expect(row!.tapkey_secret_enc).toMatch(/^v1:/);
    expect(decryptSecret(api.deps.secretKey, row!.tapkey_secret_enc)).toBe('tk-secret-123');
    expect(decryptSecret(api.deps.secretKey, row!.keycafe_token_enc)).toBe('kc-token-456');
  });

  it('defaults: UTC, no providers; a provider without its secret says hasSecret false', async () => {
    const plain = await api.json('POST', '/v1/locations', { name: 'Plain' });
    expect(plain.body).toMatchObject({ timeZone: 'UTC', tapkey: null, keycafe: null });
    const noSecret = await api.json('POST', '/v1/locations', { name: 'No secret', tapkey: { clientId: 'c', ownerAccountId: 'o' } });
    expect(noSecret.body.tapkey.hasSecret).toBe(false);
    expect((await rawRow(noSecret.body.id))!.tapkey_secret_enc).toBeNull();
  });

  it('PATCH changes only what is sent; omitting a secret keeps the stored one', async () => {
    const { body: loc } = await api.json('POST', '/v1/locations', {
      name: 'Hamburg',
      tapkey: { clientId: 'c1', clientSecret: 'first-secret', ownerAccountId: 'o1', syncMode: 'full' },
      keycafe: { accountEmail: 'a@example.com', apiToken: 'kc-1' },
    });
    const before = await rawRow(loc.id);

    const renamed = await api.json('PATCH', `/v1/locations/${loc.id}`, { name: 'Hamburg Hafen', tapkey: { clientId: 'c2' } });
    expect(renamed.status).toBe(200);
    expect(renamed.body).toMatchObject({ name: 'Hamburg Hafen', tapkey: { clientId: 'c2', ownerAccountId: 'o1', syncMode: 'full', hasSecret: true } });
    const kept = await rawRow(loc.id);
    expect(kept!.tapkey_secret_enc).toBe(before!.tapkey_secret_enc);
    expect(kept!.keycafe_token_enc).toBe(before!.keycafe_token_enc);

    const newSecret = await api.json('PATCH', `/v1/locations/${loc.id}`, { tapkey: { clientSecret: 'second-secret' } });
    expect(newSecret.body.tapkey).toMatchObject({ clientId: 'c2', hasSecret: true });
    expect(decryptSecret(api.deps.secretKey, (await rawRow(loc.id))!.tapkey_secret_enc)).toBe('second-secret');

    const disconnected = await api.json('PATCH', `/v1/locations/${loc.id}`, { keycafe: null });
    expect(disconnected.body.keycafe).toBeNull();
    expect((await rawRow(loc.id))!.keycafe_token_enc).toBeNull();

    const events = await auditOf(loc.id);
    expect(events.map((e: any) => e.action)).toEqual(['location.updated', 'location.updated', 'location.updated', 'location.created']);
    expect(events[2].before.name).toBe('Hamburg');
    expect(events[2].after.name).toBe('Hamburg Hafen');
    expect(events[1].after.secretsChanged).toEqual(['tapkey.clientSecret']);
    expect(JSON.stringify(events)).not.toMatch(/first-secret|second-secret|kc-1/);
  });

  it('an empty or identical PATCH changes nothing and records nothing', async () => {
    const { body: loc } = await api.json('POST', '/v1/locations', { name: 'Still' });
    expect((await api.json('PATCH', `/v1/locations/${loc.id}`, {})).body).toEqual(loc);
    expect((await api.json('PATCH', `/v1/locations/${loc.id}`, { name: 'Still', timeZone: 'UTC' })).body).toEqual(loc);
    expect(await auditOf(loc.id)).toHaveLength(1);
  });

  it('connecting a provider by PATCH needs its required fields', async () => {
    const { body: loc } = await api.json('POST', '/v1/locations', { name: 'Bare' });
    const res = await api.json('PATCH', `/v1/locations/${loc.id}`, { tapkey: { clientSecret: 's' }, keycafe: {} });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('validation_failed');
    expect(res.body.fieldErrors).toEqual([
      { path: 'tapkey.clientId', message: 'Required' },
      { path: 'tapkey.ownerAccountId', message: 'Required' },
    ]);
    const kc = await api.json('PATCH', `/v1/locations/${loc.id}`, { keycafe: {} });
    expect(kc.body.fieldErrors).toEqual([{ path: 'keycafe.accountEmail', message: 'Required' }]);
    expect((await api.json('GET', `/v1/locations/${loc.id}`)).body.tapkey).toBeNull();
  });

  it('DELETE removes the location, keeps its units without a location, and is audited', async () => {
    const { body: loc } = await api.json('POST', '/v1/locations', { name: 'Gone soon' });
    await api.json('PUT', '/v1/units/DEL-1', { name: 'Unit on deleted site', locationId: loc.id });
    const del = await api.fetch(`/v1/locations/${loc.id}`, { method: 'DELETE' });
    expect(del.status).toBe(204);
    expect(await del.text()).toBe('');
    expect((await api.json('GET', `/v1/locations/${loc.id}`)).status).toBe(404);
    expect((await api.json('DELETE', `/v1/locations/${loc.id}`)).status).toBe(404);
    expect((await api.json('GET', '/v1/units/DEL-1')).body.locationId).toBeNull();
    const events = await auditOf(loc.id);
    expect(events[0]).toMatchObject({ action: 'location.deleted', actor: 'token:test', before: { name: 'Gone soon' }, after: null });
  });

  it('lists locations by name', async () => {
    const res = await api.json('GET', '/v1/locations');
    const names = res.body.items.map((l: any) => l.name);
    expect(names).toEqual([...names].sort((a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0)));
    expect(res.body.total).toBe(names.length);
  });
});
