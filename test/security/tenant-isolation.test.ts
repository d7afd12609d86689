/**
 * Tenant isolation on every route. Organization A gets one resource of every kind; then
 * organization B calls every /v1 operation of /openapi.json with A's ids (in the path, the
 * query and the body). B must get 404 (or 403) for A's resources, exactly as for ids that never
 * existed (no existence oracle), lists without A's rows, and no answer may contain anything of
 * A's that B did not send itself. Afterwards A's data, its audit log and its rows in every
 * table are unchanged and no provider was called. The same again through the widget API
 * (/widget/v1/...) with another organization's widget token holding every action.
 *
 * A route added later is covered by the defaults below (path ids resolved by their resource);
 * one the defaults cannot exercise fails the test until it gets a fixture.
 */
import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorBodySchema } from '../../lib/contract.ts';
import { createApp } from '../../server/app.ts';
import { widgetRuleFor } from '../../server/widget/scopes.ts';
import { expectEveryRouteDocumented, loadRoutes, pathParams, type Route } from './routes.ts';
import { seedTenant, startWorld, type Tenant, type World } from './world.ts';

let world: World;
let a: Tenant;
let b: { orgId: string; token: string };
let routes: Route[];

beforeAll(async () => {
  world = await startWorld();
  a = await seedTenant(world, world.api.token, world.api.orgId, 'ALPHA');
  b = await world.api.newOrg('Bravo storage');
  routes = (await loadRoutes(world.api)).routes;
}, 120_000);
afterAll(() => world?.close());

/** What B sends: `not_found` = 404/403 like a missing id; `refused` = a 4xx that writes nothing; `list` = 200 without A's rows; `own` = acts on B's own data. */
type Expectation = 'not_found' | 'refused' | 'list' | 'own';

interface Attack {
  expect: Expectation;
  query?: (a: Tenant) => string;
  body?: (a: Tenant) => unknown;
  raw?: (a: Tenant) => { contentType: string; data: string };
  headers?: (a: Tenant) => Record<string, string>;
  /** Why a route answers differently from the rule. */
  note?: string;
}

const today = new Date().toISOString().slice(0, 10);
/** The page that embeds the other organization's widget. */
const PAGE = 'https://bravo.example';
const csv = (rows: string[][]) => rows.map((r) => r.map((c) => `"${c.replaceAll('"', '""')}"`).join(',')).join('\r\n');

/**
 * Per-route attacks where the default (path ids → `not_found`, GET without path ids → `list`)
 * is not enough: bodies, A's ids in query filters and bodies, upserts keyed by B's own names.
 */
const fixtures: Record<string, Attack[]> = {
  'GET /v1/units': [{ expect: 'list', query: (a) => `?search=ALPHA&locationId=${a.locationId}` }],
  'GET /v1/locks': [
    { expect: 'list', query: (a) => `?search=${a.capturedLockId}` },
    { expect: 'list', query: (a) => `?locationId=${a.locationId}&mapped=true` },
  ],
  'GET /v1/mappings': [
    { expect: 'list', query: (a) => `?unitExternalId=${a.unitExternalId}` },
    { expect: 'list', query: (a) => `?lockId=${a.mappedLockId}` },
    { expect: 'list', query: (a) => `?locationId=${a.locationId}` },
  ],
  'GET /v1/mappings/export': [{ expect: 'list', query: () => '?format=csv' }],
  'GET /v1/locks/export': [{ expect: 'list', query: () => '?format=csv' }],
  'GET /v1/audit-events': [
    { expect: 'list', query: (a) => `?entity=location&entityId=${a.locationId}` },
    { expect: 'list', query: (a) => `?entity=booking&entityId=${a.bookingExternalId}` },
  ],
  'GET /v1/bookings': [{ expect: 'list', query: (a) => `?unitExternalId=${a.unitExternalId}&locationId=${a.locationId}` }, { expect: 'list', query: () => '?search=alpha' }],
  'GET /v1/notices': [{ expect: 'list', query: (a) => `?bookingExternalId=${a.bookingExternalId}` }],
  'GET /v1/keycafe/keys': [{ expect: 'list' }, { expect: 'not_found', query: (a) => `?locationId=${a.locationId}` }],
  'GET /v1/keycafe/locations': [{ expect: 'list' }, { expect: 'not_found', query: (a) => `?locationId=${a.locationId}&refresh=true` }],
  'GET /v1/keycafe/bookings': [
    { expect: 'list', query: (a) => `?keyId=${a.keycafeKeyId}` },
    { expect: 'list', query: (a) => `?locationId=${a.locationId}&recipient=alpha.visitor` },
    { expect: 'list', query: () => '?recipient=99887766' },
  ],
  'POST /v1/locations': [{ expect: 'own', body: () => ({ name: 'Bravo site' }) }],
  'POST /v1/locations/{id}/mapping-proposal/apply': [
    { expect: 'not_found', body: (a) => ({ rows: [{ unitId: a.unitId, lockId: a.mappedLockId }], dryRun: false }) },
  ],
  'POST /v1/locations/{id}/keycafe/untracked/{accessId}': [{ expect: 'not_found', body: () => ({ action: 'cancel' }) }],
  'PATCH /v1/locations/{id}': [
    { expect: 'not_found', body: () => ({ name: 'Hijacked' }) },
    { expect: 'not_found', body: () => ({ keycafe: null, tapkey: null }) },
  ],
  'POST /v1/locations/{id}/keycafe/test': [{ expect: 'not_found' }, { expect: 'not_found', body: () => ({ accountEmail: 'bravo@example.com', apiToken: 'kc_guess' }) }],
  'PUT /v1/units/{externalId}': [
    { expect: 'refused', body: (a) => ({ name: 'Bravo unit', locationId: a.locationId }) },
    // Same external id in B's own namespace: a separate unit, A's stays as it is.
    { expect: 'own', body: () => ({ name: 'Bravo unit' }) },
  ],
  'PUT /v1/units/{externalId}/mapping': [{ expect: 'not_found', body: (a) => ({ lockId: a.mappedLockId, replace: true }) }],
  'POST /v1/locks/captured': [
    {
      expect: 'refused',
      body: (a) => ({ locks: [{ id: a.capturedLockId, title: 'Bravo lock', pageUrl: 'https://my.tapkey.com/', locationId: a.locationId }] }),
    },
  ],
  'POST /v1/mappings/import': [
    {
      expect: 'refused',
      query: () => '?dryRun=false&replace=true',
      raw: (a) => ({ contentType: 'text/csv', data: csv([['Tapkey Lock ID', 'Kinnovis Unit Name'], [a.mappedLockId, 'ALPHA Secret unit']]) }),
    },
  ],
  'PUT /v1/bookings/{externalId}': [
    { expect: 'refused', body: (a) => ({ unitExternalId: a.unitExternalId, tenantEmail: 'bravo@example.com', moveIn: today, state: 'active' }) },
  ],
  'PATCH /v1/bookings/{externalId}': [{ expect: 'not_found', body: () => ({ syncEnabled: false }) }],
  // B reporting A's booking id on A's unit id: B has no such unit, so the row is refused in B's
  // own namespace (the answer is 200 with the row in `refused`); A's booking stays as it is.
  'POST /v1/bookings/batch': [{ expect: 'own', body: (a) => ({ bookings: [{ externalId: a.bookingExternalId, unitExternalId: a.unitExternalId, moveIn: today, state: 'ended' }] }) }],
  // Not token authenticated: unsigned, with or without B's token, it is refused like any location id.
  'POST /v1/hooks/bookings/{locationId}': [{ expect: 'refused', body: (a) => ({ eventId: 'bravo-1', bookings: [{ externalId: a.bookingExternalId, unitExternalId: a.unitExternalId, moveIn: today, state: 'ended' }] }) }],
  'PUT /v1/locations/{id}/bookings/import-settings': [{ expect: 'not_found', body: () => ({ columns: { externalId: 'Booking', unitExternalId: 'Unit', moveIn: 'Move-in' } }) }],
  'POST /v1/keycafe/bookings': [
    {
      expect: 'refused',
      body: (a) => ({ locationId: a.locationId, keyIds: [a.keycafeKeyId], recipient: { email: 'bravo@example.com' }, type: 'ongoing' }),
      // A replayed Idempotency-Key of A's must not return A's booking.
      headers: (a) => ({ 'idempotency-key': a.keycafeRequestKey }),
    },
  ],
  // B mints its own widget token (used against A below, through the widget API).
  'POST /v1/widget-tokens': [{ expect: 'own', body: () => ({ origins: [PAGE], actions: ['keycafe:book', 'keycafe:read', 'mapping:read', 'mapping:write'] }) }],
  'GET /v1/locations/{id}/sync-runs': [
    {
      expect: 'list',
      note: 'answers 200 with an empty list for any location id not of the caller (not 404); compared with a never-existing id below, so it reveals nothing',
    },
  ],
};

/** A's id for a path parameter, from the resource the path names. */
function idFor(path: string, param: string, t: Tenant): string | undefined {
  const before = path.slice(0, path.indexOf(`{${param}}`));
  if (/\/v1\/locations\/$/.test(before)) return t.locationId;
  if (/\/v1\/hooks\/bookings\/$/.test(before)) return t.locationId;
  if (/\/v1\/units\/$/.test(before)) return t.unitExternalId;
  if (/\/v1\/locks\/$/.test(before)) return t.capturedLockId;
  if (/\/v1\/keycafe\/bookings\/$/.test(before)) return t.keycafeBookingId;
  if (/\/v1\/bookings\/$/.test(before)) return t.bookingExternalId;
  if (/\/v1\/sync-runs\/$/.test(before)) return t.syncRunId;
  // Keycafe's own access ids: any id will do, the location is A's.
  if (/\/keycafe\/untracked\/$/.test(before)) return '4242';
  return undefined;
}

function attacksFor(route: Route): Attack[] {
  if (fixtures[route.key]) return fixtures[route.key]!;
  if (pathParams(route.path).length) return [{ expect: 'not_found' }];
  if (route.method === 'GET') return [{ expect: 'list' }];
  throw new Error(`${route.key}: add a fixture to test/security/tenant-isolation.test.ts saying what another organization's call must do`);
}

interface Sent {
  url: string;
  init: RequestInit;
  /** Everything the caller put in the request: an answer may echo it. */
  text: string;
}

function request(route: Route, attack: Attack, t: Tenant, token: string, via: { prefix: string; headers?: Record<string, string> } = { prefix: '' }): Sent {
  let path = route.path;
  for (const p of pathParams(route.path)) {
    const id = idFor(route.path, p, t);
    if (!id) throw new Error(`${route.key}: no resource known for {${p}}: add it to idFor() or a fixture`);
    path = path.replace(`{${p}}`, encodeURIComponent(id));
  }
  path = via.prefix + path + (attack.query?.(t) ?? '');
  const headers: Record<string, string> = { authorization: `Bearer ${token}`, ...via.headers, ...attack.headers?.(t) };
  let body: string | undefined;
  const raw = attack.raw?.(t);
  if (raw) {
    headers['content-type'] = raw.contentType;
    body = raw.data;
  } else if (attack.body) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(attack.body(t));
  }
  return { url: world.api.url + path, init: { method: route.method, headers, body }, text: `${path} ${JSON.stringify(attack.headers?.(t) ?? {})} ${body ?? ''}` };
}

/** A copy of A with every id swapped for a fresh one of the same shape, that exists nowhere. */
function ghostOf(t: Tenant): Tenant {
  return {
    ...t,
    locationId: randomUUID(),
    unitExternalId: 'GHOST-U1',
    capturedLockId: randomUUID(),
    mappedLockId: randomUUID(),
    bookingExternalId: 'GHOST-B1',
    syncRunId: randomUUID(),
    keycafeBookingId: randomUUID(),
    keycafeKeyId: '99999',
    keycafeRequestKey: 'idem-ghost',
  };
}

const idKeys = ['locationId', 'unitExternalId', 'capturedLockId', 'mappedLockId', 'bookingExternalId', 'syncRunId', 'keycafeBookingId', 'keycafeKeyId', 'keycafeRequestKey'] as const;

/** The answer with the tenant's ids replaced by their role, to compare A's ids with ghosts. */
function normalized(text: string, t: Tenant) {
  let out = text;
  for (const k of idKeys) out = out.split(t[k]).join(`<${k}>`);
  return out;
}

async function send(s: Sent) {
  const res = await fetch(s.url, s.init);
  return { status: res.status, text: await res.text(), type: res.headers.get('content-type') ?? '' };
}

/** A's state as A sees it through every GET route (lists and details), plus its rows per table. */
async function snapshotOfA() {
  const views: Record<string, string> = {};
  for (const route of routes.filter((r) => r.method === 'GET' && r.path.startsWith('/v1/'))) {
    const attack = route.key.endsWith('/export') ? { expect: 'list' as const, query: () => '?format=csv' } : { expect: 'list' as const };
    const res = await send(request(route, attack, a, a.token));
    views[route.key] = `${res.status} ${res.text}`;
  }
  const { rows: tables } = (await world.api.database.db.execute(
    sql`select table_name from information_schema.columns where column_name = 'organization_id' and table_schema = current_schema() order by table_name`,
  )) as unknown as { rows: { table_name: string }[] };
  const counts: Record<string, number> = {};
  for (const { table_name } of tables) {
    const { rows } = (await world.api.database.db.execute(sql`select count(*)::int as n from ${sql.identifier(table_name)} where organization_id = ${a.orgId}`)) as unknown as {
      rows: { n: number }[];
    };
    counts[table_name] = rows[0]!.n;
  }
  return { views, counts };
}

interface Via {
  prefix: string;
  headers?: Record<string, string>;
}

/**
 * B attacks A with every planned call: checks each answer, and that A's ids answer exactly like
 * ids that never existed. Returns what went wrong and which routes were exercised.
 */
async function attack(plan: { route: Route; attack: Attack }[], token: string, via: Via = { prefix: '' }) {
  const exercised = new Set<string>();
  const failures: string[] = [];
  // Calls acting on B's own namespace run last: they create B's own resources under A's external ids.
  const ordered = [...plan].sort((x, y) => Number(x.attack.expect === 'own') - Number(y.attack.expect === 'own'));
  for (const { route, attack } of ordered) {
    const sent = request(route, attack, a, token, via);
    const res = await send(sent);
    exercised.add(route.key);
    const label = `${via.prefix}${route.key}${attack.query?.(a) ?? ''} [${attack.expect}] → ${res.status}`;

    for (const marker of a.markers) if (!sent.text.includes(marker) && res.text.includes(marker)) failures.push(`${label}: answer contains A's "${marker}"`);
    if (res.status >= 500) failures.push(`${label}: server error ${res.text.slice(0, 200)}`);
    if (res.status >= 400 && !errorBodySchema.safeParse(JSON.parse(res.text || 'null')).success) failures.push(`${label}: not the contract's error body`);

    switch (attack.expect) {
      case 'not_found':
        if (res.status !== 404 && res.status !== 403) failures.push(`${label}: expected 404 or 403, got ${res.text.slice(0, 200)}`);
        break;
      case 'refused':
        if (res.status < 400 || res.status >= 500) failures.push(`${label}: expected a 4xx refusal, got ${res.text.slice(0, 200)}`);
        break;
      case 'list':
        if (res.status !== 200 && res.status !== 404) failures.push(`${label}: expected 200 (or 404 for A's id as a filter), got ${res.text.slice(0, 200)}`);
        break;
      case 'own':
        break;
    }

    // No existence oracle: A's ids answer exactly like ids that never existed.
    if (attack.expect !== 'own') {
      const ghost = ghostOf(a);
      const other = await send(request(route, attack, ghost, token, via));
      if (other.status !== res.status || normalized(other.text, ghost) !== normalized(res.text, a))
        failures.push(`${label}: answers A's ids differently from ids that do not exist:\n  A:     ${normalized(res.text, a).slice(0, 300)}\n  ghost: ${other.status} ${normalized(other.text, ghost).slice(0, 300)}`);
    }
  }
  return { failures, exercised };
}

/** Nothing of A changed while B attacked: its views, its rows per table, and no provider calls. */
async function expectAUntouchedBy(run: () => Promise<void>) {
  await world.idle();
  const before = await snapshotOfA();
  // Counted around B's calls only: A's own snapshot may ask a provider (the untracked-access sweep does).
  const tapkeyCalls = world.tapkey.calls.count();
  const keycafeCalls = world.keycafe.calls.list.length;
  await run();
  await world.idle();
  const tapkeyCallsAfter = world.tapkey.calls.count();
  const keycafeCallsAfter = world.keycafe.calls.list.length;
  const after = await snapshotOfA();
  expect(after.counts, "A's rows per table").toEqual(before.counts);
  for (const [key, view] of Object.entries(before.views)) expect(after.views[key], `A's view of ${key}`).toBe(view);
  expect(tapkeyCallsAfter, 'Tapkey calls caused by B').toBe(tapkeyCalls);
  expect(keycafeCallsAfter, 'Keycafe calls caused by B').toBe(keycafeCalls);
}

const ALL_ACTIONS = ['keycafe:book', 'keycafe:read', 'mapping:read', 'mapping:write'];

describe('tenant isolation on every route', () => {
  it('every /v1 route served is in /openapi.json, so the enumeration below is complete', () => {
    expectEveryRouteDocumented(createApp(world.api.deps).routes, routes);
    expect(routes.filter((r) => r.path.startsWith('/v1/')).length).toBeGreaterThan(30);
  });

  it("another organization's API token never reads, changes or learns of A's resources", { timeout: 120_000 }, async () => {
    const v1 = routes.filter((r) => r.path.startsWith('/v1/'));
    // Fixtures for routes that no longer exist would silently test nothing.
    expect(Object.keys(fixtures).filter((k) => !v1.some((r) => r.key === k)), 'fixtures of routes that are gone').toEqual([]);
    await expectAUntouchedBy(async () => {
      const { failures, exercised } = await attack(
        v1.flatMap((route) => attacksFor(route).map((at) => ({ route, attack: at }))),
        b.token,
      );
      expect(failures).toEqual([]);
      expect(v1.map((r) => r.key).filter((k) => !exercised.has(k)), 'routes not exercised').toEqual([]);
    });
  });

  it("through the widget API, another organization's widget token with every action never reaches A's resources either", { timeout: 120_000 }, async () => {
    // A third organization: B now owns units under A's external ids (the "own" calls above).
    const c = await world.api.newOrg('Charlie storage');
    const minted = await world.api.json('POST', '/v1/widget-tokens', { origins: [PAGE], actions: ALL_ACTIONS }, { token: c.token });
    expect(minted.status, JSON.stringify(minted.body)).toBe(201);
    const served = [
      ...new Set(
        createApp(world.api.deps)
          .routes.filter((r) => r.method !== 'ALL' && r.path.startsWith('/widget/v1/'))
          .map((r) => `${r.method} ${r.path.slice('/widget'.length).replace(/:([A-Za-z0-9_]+)/g, '{$1}')}`),
      ),
    ];
    const open = served.filter((k) => widgetRuleFor(k.split(' ')[0]!, k.split(' ')[1]!.replace(/\{[^}]+\}/g, 'x')));
    expect(open.length).toBeGreaterThan(8);
    const plan = open.flatMap((key) => {
      const [method, path] = key.split(' ') as [string, string];
      const route = routes.find((r) => r.key === key) ?? { method, path, key, op: {} };
      return attacksFor(route).map((at) => ({ route, attack: at }));
    });
    await expectAUntouchedBy(async () => {
      const { failures, exercised } = await attack(plan, minted.body.token, { prefix: '/widget', headers: { origin: PAGE } });
      expect(failures).toEqual([]);
      expect(open.filter((k) => !exercised.has(k)), 'widget routes not exercised').toEqual([]);
    });
    // The rest of what the widget app mounts is closed to any widget token, before any handler.
    for (const key of served.filter((k) => !open.includes(k))) {
      const [method, path] = key.split(' ') as [string, string];
      const closed: Attack = method === 'GET' ? { expect: 'not_found' } : { expect: 'not_found', body: () => ({}) };
      const res = await send(request({ method, path, key, op: {} }, closed, a, minted.body.token, { prefix: '/widget', headers: { origin: PAGE } }));
      expect(res.status, `/widget${key}`).toBe(404);
    }
  });

  it("B's own lists hold only what B created", async () => {
    for (const route of routes.filter((r) => r.method === 'GET' && r.path.startsWith('/v1/') && !pathParams(r.path).length)) {
      const res = await send(request(route, route.key.endsWith('/export') ? { expect: 'list', query: () => '?format=csv' } : { expect: 'list' }, a, b.token));
      expect(res.status, route.key).toBe(200);
      for (const marker of a.markers) expect(res.text, `${route.key} leaks "${marker}"`).not.toContain(marker);
    }
  });
});
