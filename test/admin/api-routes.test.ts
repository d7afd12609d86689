/**
 * The small API routes the admin page added (server/routes/admin.ts), the audit filters and the
 * selected-rows revocation, through real HTTP: validation, tenant isolation, nothing stored by
 * looking up owner accounts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { outboxSummarySchema, tapkeyOwnerAccountsResult } from '../../lib/contract.ts';
import { SANDBOX_CLIENT_ID, SANDBOX_CLIENT_SECRET, SANDBOX_OWNER_ID } from '../../sandbox/tapkey-api/index.ts';
import { enqueue } from '../../server/outbox/outbox.ts';
import { startTapkeyWorld, type TapkeyTestWorld } from '../tapkey/helpers.ts';

let w: TapkeyTestWorld;
let locationId = '';

beforeAll(async () => {
  w = await startTapkeyWorld({ worker: false });
  locationId = (await w.api.json('POST', '/v1/locations', { name: 'Empty', timeZone: 'UTC', address: '  Hauptstraße 5  ' })).body.id;
});
afterAll(() => w.close());

describe('POST /v1/locations/{id}/tapkey/owner-accounts', () => {
  it('names the fields when no credentials are sent or stored', async () => {
    const res = await w.api.json('POST', `/v1/locations/${locationId}/tapkey/owner-accounts`, {});
    expect(res.status).toBe(422);
    expect(res.body.fieldErrors.map((f: { path: string }) => f.path).sort()).toEqual(['clientId', 'clientSecret']);
  });

  it('lists the owner accounts for sent credentials and stores nothing', async () => {
    const res = await w.api.json('POST', `/v1/locations/${locationId}/tapkey/owner-accounts`, { clientId: SANDBOX_CLIENT_ID, clientSecret: SANDBOX_CLIENT_SECRET });
    expect(res.status).toBe(200);
    const body = tapkeyOwnerAccountsResult.parse(res.body);
    expect(body.owners.map((o) => o.id)).toEqual([SANDBOX_OWNER_ID]);
    expect(JSON.stringify(res.body)).not.toContain(SANDBOX_CLIENT_SECRET);
    const after = await w.api.json('GET', `/v1/locations/${locationId}`);
    expect(after.body).toMatchObject({ tapkey: null, address: 'Hauptstraße 5' });
    expect((await w.api.json('GET', `/v1/audit-events?entity=location&entityId=${locationId}`)).body.total).toBe(1);
  });

  it('refuses another organization’s location and unknown fields', async () => {
    const other = await w.api.newOrg('Other');
    const res = await w.api.json('POST', `/v1/locations/${locationId}/tapkey/owner-accounts`, { clientId: 'x', clientSecret: 'y' }, { token: other.token });
    expect(res.status).toBe(404);
    const bad = await w.api.json('POST', `/v1/locations/${locationId}/tapkey/owner-accounts`, { clientId: '', clientSecret: 'y' });
    expect(bad.status).toBe(400);
  });
});

describe('GET /v1/outbox/summary', () => {
  it('counts only the organization’s own jobs, by kind and state, with the failures', async () => {
    const other = await w.api.newOrg('Busy neighbour');
    await enqueue(w.api.database.db, { organizationId: other.orgId, kind: 'test.other', idempotencyKey: 'o1', payload: {} });
    await enqueue(w.api.database.db, { organizationId: w.api.orgId, kind: 'test.mine', idempotencyKey: 'm1', payload: {} });
    const res = await w.api.json('GET', '/v1/outbox/summary');
    expect(res.status).toBe(200);
    const summary = outboxSummarySchema.parse(res.body);
    expect(summary.byKind).toEqual([{ kind: 'test.mine', state: 'pending', count: 1 }]);
    expect(summary).toMatchObject({ pending: 1, running: 0, failed: 0, failures: [] });
    expect(summary.oldestPendingAt).not.toBeNull();
  });
});

describe('GET /v1/audit-events filters', () => {
  it('filters by action prefix, exact action, actor and time, and treats LIKE wildcards literally', async () => {
    const prefix = (await w.api.json('GET', '/v1/audit-events?action=location.')).body;
    expect(prefix.items.length).toBeGreaterThan(0);
    expect(prefix.items.every((e: { action: string }) => e.action.startsWith('location.'))).toBe(true);
    expect((await w.api.json('GET', '/v1/audit-events?action=%25.')).body.total).toBe(0);
    expect((await w.api.json('GET', '/v1/audit-events?action=location.created')).body.total).toBe(1);
    expect((await w.api.json('GET', '/v1/audit-events?actor=nobody')).body.total).toBe(0);
    expect((await w.api.json('GET', `/v1/audit-events?since=${encodeURIComponent(new Date(Date.now() + 60_000).toISOString())}`)).body.total).toBe(0);
    expect((await w.api.json('GET', '/v1/audit-events?since=yesterday')).status).toBe(400);
  });
});
