/**
 * Widget tokens through real HTTP: minting (API token only, validated), and every widget call
 * checked for signature, expiry, the minting API token, Origin and action, scoped to the
 * token's organization; CORS for embedding pages; the /widget.js script.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiToken, revokeApiToken, verifyApiToken } from '../../server/auth.ts';
import { widgetKeyOf } from '../../server/widget/middleware.ts';
import { mintWidgetToken } from '../../server/widget/tokens.ts';
import type { KeycafeBooking, WidgetToken } from '../../lib/contract.ts';
import { startTestApi, type TestApi } from '../helpers/api.ts';
import { startKeycafeWorld, type KeycafeWorld } from '../keycafe/helpers.ts';

const PAGE = 'https://manager.example.com';
const OTHER_PAGE = 'https://evil.example';

let world: KeycafeWorld;
let api: TestApi;

async function mint(body: unknown, token: string | null = api.token) {
  return api.json<WidgetToken>('POST', '/v1/widget-tokens', body, { token });
}

async function widgetToken(actions: string[], origins = [PAGE], ttlSeconds = 600) {
  const r = await mint({ origins, actions, ttlSeconds });
  expect(r.status).toBe(201);
  return r.body.token;
}

/** A call as the widget makes it: widget token, the page's Origin. */
function widget<T = any>(method: string, path: string, token: string, opts: { origin?: string | null; body?: unknown } = {}) {
  const origin = opts.origin === undefined ? PAGE : opts.origin;
  return api.json<T>(method, `/widget${path}`, opts.body, { token, headers: origin ? { origin } : {} });
}

const booking = (over: Record<string, unknown> = {}) => ({
  locationId: world.locationId,
  keyIds: ['10001'],
  recipient: { email: 'visitor@example.com' },
  type: 'one_time',
  start: { date: '2030-05-06', time: '10:00' },
  end: { date: '2030-05-07', time: '18:00' },
  ...over,
});

beforeAll(async () => {
  world = await startKeycafeWorld();
  api = world.api;
});
afterAll(() => world?.close());

describe('POST /v1/widget-tokens', () => {
  it('needs an API token: none, a wrong one or a widget token is 401', async () => {
    const body = { origins: [PAGE], actions: ['keycafe:book'] };
    expect((await mint(body, null)).status).toBe(401);
    expect((await mint(body, 'ab_wrong')).status).toBe(401);
    const wt = await widgetToken(['keycafe:book']);
    const r = await mint(body, wt);
    expect(r.status).toBe(401);
    expect(r.body).toMatchObject({ error: { code: 'unauthorized' } });
  });

  it('validates origins, actions and the lifetime (at most 24 h)', async () => {
    const r = await mint({ origins: ['https://manager.example.com/path', 'ftp://x.example', '*'], actions: ['keycafe:book', 'keycafe:book', 'admin'], ttlSeconds: 86_401 });
    expect(r.status).toBe(400);
    const paths = r.body as unknown as { fieldErrors: { path: string; message: string }[] };
    expect(paths.fieldErrors.map((f) => f.path)).toEqual(expect.arrayContaining(['origins.0', 'origins.1', 'origins.2', 'actions.2', 'ttlSeconds']));
    expect(paths.fieldErrors.find((f) => f.path === 'ttlSeconds')!.message).toBe('At most 24 hours (86400 seconds)');
    expect((await mint({ origins: [], actions: [] })).status).toBe(400);
    const dup = await mint({ origins: [PAGE], actions: ['keycafe:book', 'keycafe:book'] });
    expect(dup.status).toBe(400);
    expect(JSON.stringify(dup.body)).toContain('Each action once');
  });

  it('mints a bound, short-lived token and audits it without the token itself', async () => {
    const r = await mint({ origins: [PAGE, PAGE, 'http://localhost:3000'], actions: ['keycafe:book', 'keycafe:read'], ttlSeconds: 900 });
    expect(r.status).toBe(201);
    expect(r.body.token).toMatch(/^abw_[\w-]+\.[\w-]+$/);
    expect(r.body).toMatchObject({ organizationId: api.orgId, origins: [PAGE, 'http://localhost:3000'], actions: ['keycafe:book', 'keycafe:read'] });
    expect(Date.parse(r.body.expiresAt) - Date.parse(r.body.issuedAt)).toBe(900_000);
    const audit = await api.json('GET', '/v1/audit-events?entity=widget_token&limit=5');
    expect(audit.body.items[0]).toMatchObject({ action: 'widget_token.created', actor: 'token:test', after: { origins: [PAGE, 'http://localhost:3000'] } });
    expect(JSON.stringify(audit.body)).not.toContain(r.body.token.slice(4, 40));
  });
});

describe('widget calls', () => {
  it('the right token from the right page works: session, keys, a booking that completes', async () => {
    const token = await widgetToken(['keycafe:book']);
    const session = await widget('GET', '/v1/session', token);
    expect(session.status).toBe(200);
    expect(session.body).toMatchObject({ organization: { name: 'Test storage' }, origin: PAGE, actions: ['keycafe:book'], keycafeAccounts: [{ id: world.locationId, name: 'Berlin Mitte' }] });
    expect(session.headers.get('access-control-allow-origin')).toBe(PAGE);

    const keys = await widget('GET', '/v1/keycafe/keys?search=A-01', token);
    expect(keys.status).toBe(200);
    expect(keys.body.items[0].name).toBe('Unit A-01 – spare key');

    const created = await widget<KeycafeBooking>('POST', '/v1/keycafe/bookings', token, { body: booking() });
    expect(created.status).toBe(201);
    const done = await world.waitForBooking(created.body.id);
    expect(done.state).toBe('active');
    const polled = await widget<KeycafeBooking>('GET', `/v1/keycafe/bookings/${created.body.id}`, token);
    expect(polled.body.accesses[0]!.bookingCode).toMatch(/^\d{6}$/);

    // Audited as the widget, with the page it came from.
    const audit = await api.json('GET', `/v1/audit-events?entity=keycafe_booking&entityId=${created.body.id}`);
    expect(audit.body.items.at(-1).actor).toBe(`widget:test@${PAGE}`);
  });

  it('an expired token is refused', async () => {
    const { token } = mintWidgetToken(widgetKeyOf(api.deps), {
      organizationId: api.orgId,
      apiTokenId: (await verifyApiToken(api.database.db, api.token))!.id,
      origins: [PAGE],
      actions: ['keycafe:book'],
      ttlSeconds: 60,
      now: new Date(Date.now() - 61_000),
    });
    const r = await widget('GET', '/v1/keycafe/keys', token);
    expect(r.status).toBe(401);
    expect(r.body.error.message).toMatch(/^The widget token expired at \d{4}-\d\d-\d\dT.*: the page must get a new one$/);
  });

  it('a token from another page (or from no page) is refused', async () => {
    const token = await widgetToken(['keycafe:book']);
    const wrong = await widget('GET', '/v1/keycafe/keys', token, { origin: OTHER_PAGE });
    expect(wrong.status).toBe(403);
    expect(wrong.body).toMatchObject({ error: { code: 'forbidden', message: `Origin ${OTHER_PAGE} may not use this widget token` } });
    expect((await widget('POST', '/v1/keycafe/bookings', token, { origin: OTHER_PAGE, body: booking() })).status).toBe(403);
    expect((await widget('GET', '/v1/keycafe/keys', token, { origin: null })).status).toBe(403);
    // Same host, other port or scheme: another origin.
    expect((await widget('GET', '/v1/keycafe/keys', token, { origin: 'http://manager.example.com' })).status).toBe(403);
  });

  it('an action the token does not have is refused', async () => {
    const mapping = await widgetToken(['mapping:read']);
    const r = await widget('GET', '/v1/keycafe/keys', mapping);
    expect(r.status).toBe(403);
    expect(r.body.error.message).toBe('This widget token does not allow GET /v1/keycafe/keys (needs keycafe:book or keycafe:read)');
    const book = await widgetToken(['keycafe:book']);
    expect((await widget('GET', '/v1/keycafe/bookings', book)).status).toBe(403);
    expect((await widget('PUT', '/v1/units/U1/mapping', book, { body: { lockId: '3f1c2a9e-8b7d-4c21-9a55-2e6f0d4b7c10' } })).status).toBe(403);
    const read = await widgetToken(['keycafe:read']);
    expect((await widget('POST', '/v1/keycafe/bookings', read, { body: booking() })).status).toBe(403);
    expect((await widget('GET', '/v1/keycafe/bookings', read)).status).toBe(200);
  });

  it('another organization’s token sees none of ours', async () => {
    const ours = await widget<KeycafeBooking>('POST', '/v1/keycafe/bookings', await widgetToken(['keycafe:book']), { body: booking({ keyIds: ['10002'] }) });
    expect(ours.status).toBe(201);
    const other = await api.newOrg('Other storage');
    const theirs = await api.json<WidgetToken>('POST', '/v1/widget-tokens', { origins: [PAGE], actions: ['keycafe:book', 'keycafe:read', 'mapping:read'] }, { token: other.token });
    const t = theirs.body.token;
    expect((await widget('GET', `/v1/keycafe/bookings/${ours.body.id}`, t)).status).toBe(404);
    expect((await widget('POST', `/v1/keycafe/bookings/${ours.body.id}/cancel`, t)).status).toBe(404);
    const list = await widget('GET', '/v1/keycafe/bookings', t);
    expect(list.body).toMatchObject({ items: [], total: 0 });
    const steal = await widget('POST', '/v1/keycafe/bookings', t, { body: booking() });
    expect(steal.status).toBe(400);
    expect(steal.body.fieldErrors).toEqual([{ path: 'locationId', message: 'Location not found' }]);
    expect((await widget('GET', '/v1/session', t)).body).toMatchObject({ organization: { name: 'Other storage' }, keycafeAccounts: [] });
  });

  it('a tampered or foreign-signed token is refused', async () => {
    const token = await widgetToken(['keycafe:book']);
    const [body, sig] = token.slice(4).split('.');
    const payload = JSON.parse(Buffer.from(body!, 'base64url').toString());
    const forged = `abw_${Buffer.from(JSON.stringify({ ...payload, actions: ['keycafe:read', 'mapping:write'] })).toString('base64url')}.${sig}`;
    expect((await widget('GET', '/v1/keycafe/bookings', forged)).body).toMatchObject({ error: { code: 'unauthorized', message: 'Invalid widget token' } });
    const foreign = mintWidgetToken(Buffer.alloc(32, 7), { organizationId: api.orgId, apiTokenId: payload.tid, origins: [PAGE], actions: ['keycafe:book'], ttlSeconds: 600 }).token;
    expect((await widget('GET', '/v1/keycafe/keys', foreign)).status).toBe(401);
    expect((await widget('GET', '/v1/keycafe/keys', 'abw_garbage')).status).toBe(401);
    expect((await widget('GET', '/v1/keycafe/keys', '', { origin: PAGE })).status).toBe(401);
  });

  it('revoking the API token that minted it revokes the widget token', async () => {
    const minter = await createApiToken(api.database.db, api.orgId, 'page backend');
    const r = await mint({ origins: [PAGE], actions: ['keycafe:book'] }, minter.token);
    expect((await widget('GET', '/v1/keycafe/keys', r.body.token)).status).toBe(200);
    await revokeApiToken(api.database.db, minter.id);
    const after = await widget('GET', '/v1/keycafe/keys', r.body.token);
    expect(after.status).toBe(401);
    expect(after.body.error.message).toBe('The API token that issued this widget token was revoked');
  });

  it('opens only the widget routes: other routes are 404 through /widget and widget tokens are 401 on /v1', async () => {
    const all = await widgetToken(['keycafe:book', 'keycafe:read', 'mapping:read', 'mapping:write']);
    expect((await widget('POST', `/v1/locations/${world.locationId}/keycafe/test`, all)).status).toBe(404);
    expect((await widget('GET', '/v1/audit-events', all)).status).toBe(404);
    expect((await widget('GET', '/v1/locations', all)).status).toBe(404);
    expect((await widget('DELETE', '/v1/keycafe/bookings', all)).status).toBe(404);
    const direct = await api.json('GET', '/v1/keycafe/keys', undefined, { token: all, headers: { origin: PAGE } });
    expect(direct.status).toBe(401);
  });

  it('maps a unit with mapping:write, and reads it back with mapping:read', async () => {
    const lockId = '3f1c2a9e-8b7d-4c21-9a55-2e6f0d4b7c10';
    expect((await api.json('PUT', '/v1/units/U-77', { name: 'B-77' })).status).toBe(201);
    expect((await api.json('POST', '/v1/locks/captured', { locks: [{ id: lockId, title: 'Unit B-77', pageUrl: `https://my.tapkey.com/#/locks/${lockId}` }] })).status).toBe(200);
    const write = await widgetToken(['mapping:write']);
    const put = await widget('PUT', '/v1/units/U-77/mapping', write, { body: { lockId } });
    expect(put.status).toBe(201);
    const read = await widgetToken(['mapping:read']);
    expect((await widget('GET', '/v1/units/U-77', read)).body).toMatchObject({ externalId: 'U-77', name: 'B-77' });
    expect((await widget('GET', '/v1/mappings?unitExternalId=U-77', read)).body.items[0]).toMatchObject({ lockId });
    expect((await widget('GET', '/v1/locks?search=B-77', read)).body.items[0]).toMatchObject({ id: lockId });
    expect((await widget('DELETE', '/v1/units/U-77/mapping', read)).status).toBe(403);
    expect((await widget('DELETE', '/v1/units/U-77/mapping', write)).status).toBe(204);
  });
});

describe('CORS for embedding pages', () => {
  it('answers any page’s preflight and puts the page’s origin on the answers', async () => {
    const pre = await fetch(`${api.url}/widget/v1/keycafe/bookings`, {
      method: 'OPTIONS',
      headers: { origin: OTHER_PAGE, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,content-type,idempotency-key' },
    });
    expect(pre.status).toBe(204);
    expect(pre.headers.get('access-control-allow-origin')).toBe(OTHER_PAGE);
    expect(pre.headers.get('access-control-allow-headers')).toContain('Idempotency-Key');
    expect(pre.headers.get('access-control-allow-methods')).toContain('POST');
    const notWeb = await fetch(`${api.url}/widget/v1/keycafe/bookings`, { method: 'OPTIONS', headers: { origin: 'null', 'access-control-request-method': 'POST' } });
    expect(notWeb.status).toBe(403);
    // The API-token routes keep their own CORS policy: an arbitrary page gets nothing.
    const apiPre = await fetch(`${api.url}/v1/keycafe/bookings`, { method: 'OPTIONS', headers: { origin: OTHER_PAGE, 'access-control-request-method': 'POST' } });
    expect(apiPre.status).toBe(403);
    expect(apiPre.headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe('GET /widget.js', () => {
  let dir: string;
  let scriptApi: TestApi;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ab-widget-'));
    scriptApi = await startTestApi({ deps: { widget: { scriptPath: join(dir, 'accessbridge-widget.js') } } });
  });
  afterAll(async () => {
    await scriptApi?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('says how to build it when it is not built', async () => {
    const r = await scriptApi.json('GET', '/widget.js', undefined, { token: null });
    expect(r.status).toBe(503);
    expect(r.body.error.message).toBe('The widget script is not built: run "npm run build:widget"');
  });

  it('serves it as JavaScript with caching headers, revalidated by ETag, and picks up a rebuild', async () => {
    writeFileSync(join(dir, 'accessbridge-widget.js'), '(()=>{customElements.define("accessbridge-widget",class extends HTMLElement{})})();\n');
    const r = await fetch(`${scriptApi.url}/widget.js`);
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(r.headers.get('cache-control')).toBe('public, max-age=300');
    expect(r.headers.get('x-content-type-options')).toBe('nosniff');
    expect(r.headers.get('cross-origin-resource-policy')).toBe('cross-origin');
    expect(await r.text()).toContain('accessbridge-widget');
    const etag = r.headers.get('etag')!;
    const again = await fetch(`${scriptApi.url}/widget.js`, { headers: { 'if-none-match': etag } });
    expect(again.status).toBe(304);
    writeFileSync(join(dir, 'accessbridge-widget.js'), '/* rebuilt, longer than before */ (()=>{})();\n');
    const rebuilt = await fetch(`${scriptApi.url}/widget.js`, { headers: { 'if-none-match': etag } });
    expect(rebuilt.status).toBe(200);
    expect(rebuilt.headers.get('etag')).not.toBe(etag);
  });

  it('serves the chunks the script imports from beside it, cached for good, and nothing else', async () => {
    mkdirSync(join(dir, 'widget-chunks'), { recursive: true });
    writeFileSync(join(dir, 'widget-chunks', 'map-lock-AbC_12.js'), 'export default {};\n');
    writeFileSync(join(dir, 'widget-tokens.json'), '{}');
    // A module script from another site's page: a CORS request.
    const r = await fetch(`${scriptApi.url}/widget-chunks/map-lock-AbC_12.js`, { headers: { origin: 'https://manager.example.com' } });
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(r.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(r.headers.get('access-control-allow-origin')).toBe('*');
    expect(r.headers.get('cross-origin-resource-policy')).toBe('cross-origin');
    expect(await r.text()).toBe('export default {};\n');
    const again = await fetch(`${scriptApi.url}/widget-chunks/map-lock-AbC_12.js`, { headers: { 'if-none-match': r.headers.get('etag')! } });
    expect(again.status).toBe(304);
    expect((await fetch(`${scriptApi.url}/widget-chunks/missing.js`)).status).toBe(404);
    expect((await fetch(`${scriptApi.url}/widget-chunks/..%2Fwidget-tokens.json`)).status).toBe(404);
  });
});
