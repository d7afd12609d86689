// @vitest-environment happy-dom
/**
 * <accessbridge-widget> in a page: attributes, its shadow root, the calls it makes with the
 * widget token, the booking view and the map-lock view (against a scripted API; the real one
 * is exercised in test/widget/widget-tokens.test.ts and, in Chromium, test/e2e/widget.test.ts).
 */
import { fireEvent, waitFor, within } from '@testing-library/preact';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { languages } from '../../lib/i18n/catalog.ts';
import { VIEWS } from '../../widget/attributes.ts';
import { defineWidget, WIDGET_TAG } from '../../widget/element.ts';
import { loadView } from '../../widget/load-view.ts';
import { KEYS } from '../keycafe-ui/fake-api.ts';

const API = 'https://api.accessbridge.test';
const TOKEN = 'abw_test.token';
const LOCK_A = { id: '3f1c2a9e-8b7d-4c21-9a55-2e6f0d4b7c10', title: 'Unit B-07', source: 'captured', locationId: null, capturedUrl: null, createdAt: '2030-01-01T00:00:00.000Z', updatedAt: '2030-01-01T00:00:00.000Z' };
const LOCK_B = { ...LOCK_A, id: '4a2d3b0f-9c8e-4d32-8b66-3f7e1e5c8d21', title: 'Unit C-11' };
const UNIT = { id: '5b3e4c1a-0d9f-4e43-9c77-4a8f2f6d9e32', externalId: 'U-7', name: 'B-07', locationId: null, createdAt: '2030-01-01T00:00:00.000Z', updatedAt: '2030-01-01T00:00:00.000Z' };

type Route = (req: { method: string; url: URL; headers: Headers; body: unknown }) => { status: number; body?: unknown } | undefined;
let routes: Route[] = [];
const calls: { method: string; path: string; headers: Headers; body: unknown }[] = [];

const session = (actions: string[]) => ({ organization: { name: 'Demo storage' }, origin: 'http://localhost:3000', actions, expiresAt: '2030-01-01T01:00:00.000Z', keycafeAccounts: [] });
const err = (status: number, code: string, message: string, details?: unknown) => ({ status, body: { error: { code, message }, fieldErrors: [], ...(details ? { details } : {}) } });

beforeAll(async () => {
  defineWidget();
  // The element loads a view's code on first use; loaded here once, the first test of a view
  // does not wait for the code's transform.
  await Promise.all(VIEWS.flatMap((view) => languages.map((lang) => loadView(view, lang, API))));
  vi.stubGlobal('fetch', async (input: string, init: RequestInit = {}) => {
    const url = new URL(input);
    const headers = new Headers(init.headers);
    const body = init.body ? JSON.parse(String(init.body)) : undefined;
    calls.push({ method: init.method ?? 'GET', path: url.pathname, headers, body });
    for (const route of routes) {
      const r = route({ method: init.method ?? 'GET', url, headers, body });
      if (r) return new Response(r.body === undefined ? null : JSON.stringify(r.body), { status: r.status, headers: { 'content-type': 'application/json' } });
    }
    return new Response(JSON.stringify({ error: { code: 'not_found', message: `no fake for ${url.pathname}` }, fieldErrors: [] }), { status: 404 });
  });
});

afterEach(() => {
  document.body.innerHTML = '';
  routes = [];
  calls.length = 0;
});

function mount(attrs: Record<string, string>) {
  const el = document.createElement(WIDGET_TAG);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
  document.body.append(el);
  return { el, shadow: within(el.shadowRoot as unknown as HTMLElement) };
}

const on = (method: string, path: string | RegExp, answer: (req: Parameters<Route>[0]) => { status: number; body?: unknown }): Route => (req) =>
  req.method === method && (typeof path === 'string' ? req.url.pathname === path : path.test(req.url.pathname)) ? answer(req) : undefined;

describe('attributes', () => {
  it('says which attribute is missing or wrong', async () => {
    const { el, shadow } = mount({ view: 'keycafe-booking', api: API });
    expect(shadow.getByRole('alert').textContent).toBe('This AccessBridge widget is not set up correctly: the "token" attribute is missing');
    el.setAttribute('token', TOKEN);
    el.setAttribute('view', 'calendar');
    await waitFor(() => expect(shadow.getByRole('alert').textContent).toBe('This AccessBridge widget is not set up correctly: unknown view "calendar" (use "keycafe-booking" or "map-lock")'));
    el.setAttribute('view', 'map-lock');
    await waitFor(() => expect(shadow.getByRole('alert').textContent).toContain('the "unit" attribute is missing'));
    expect(calls).toHaveLength(0);
  });

  it('keeps its UI and styles in its shadow root, and speaks the page’s language', async () => {
    routes.push(on('GET', '/widget/v1/session', () => ({ status: 200, body: session(['keycafe:book']) })));
    document.documentElement.lang = 'de';
    const { el, shadow } = mount({ view: 'keycafe-booking', api: API, token: TOKEN });
    await shadow.findByRole('button', { name: 'Keycafe-Zugang gewähren' });
    expect(document.querySelector('button')).toBeNull();
    expect(el.shadowRoot!.querySelector('style')!.textContent).toContain(':host { all: initial');
    el.setAttribute('lang', 'fr');
    await shadow.findByRole('button', { name: 'Accorder un accès Keycafe' });
    document.documentElement.lang = '';
  });
});

describe('keycafe-booking view', () => {
  it('shows why a refused token cannot be used', async () => {
    routes.push(on('GET', '/widget/v1/session', () => err(401, 'unauthorized', 'The widget token expired at 2030-01-01T01:00:00.000Z: the page must get a new one')));
    const { shadow } = mount({ view: 'keycafe-booking', api: `${API}/`, token: TOKEN });
    expect(shadow.getByText('Loading AccessBridge…')).toBeTruthy();
    await waitFor(() =>
      expect(shadow.getByRole('alert').textContent).toBe('The widget token was refused: The widget token expired at 2030-01-01T01:00:00.000Z: the page must get a new one'),
    );
    expect(calls[0]!.path).toBe('/widget/v1/session');
  });

  it('says so when the token may not book', async () => {
    routes.push(on('GET', '/widget/v1/session', () => ({ status: 200, body: session(['mapping:read']) })));
    const { shadow } = mount({ view: 'keycafe-booking', api: API, token: TOKEN });
    await waitFor(() => expect(shadow.getByRole('alert').textContent).toBe('This widget token does not allow that (keycafe:book).'));
  });

  it('opens the booking dialog for its key, calling the API with the widget token', async () => {
    routes.push(
      on('GET', '/widget/v1/session', () => ({ status: 200, body: session(['keycafe:book']) })),
      on('GET', '/widget/v1/keycafe/keys', () => ({ status: 200, body: { items: KEYS, total: KEYS.length } })),
    );
    const { shadow } = mount({ view: 'keycafe-booking', api: API, token: TOKEN, key: 'KC3B9A1C', lang: 'en' });
    fireEvent.click(await shadow.findByRole('button', { name: 'Grant Keycafe access' }));
    const dialog = within(await shadow.findByRole('dialog', { name: 'Grant Keycafe access' }));
    await dialog.findByRole('button', { name: 'Remove Main entrance master key' }, { timeout: 3000 });
    // A book-only token cannot list bookings: the dialog does not try.
    expect(dialog.queryByRole('region', { name: 'Existing bookings' })).toBeNull();
    const keyCalls = calls.filter((c) => c.path === '/widget/v1/keycafe/keys');
    expect(keyCalls.length).toBeGreaterThan(0);
    for (const c of calls) {
      expect(c.headers.get('authorization')).toBe(`Bearer ${TOKEN}`);
      expect(c.headers.get('accept-language')).toBe('en');
    }
    expect(calls.some((c) => c.path.startsWith('/v1/'))).toBe(false);
  });
});

describe('map-lock view', () => {
  function mappingWorld(opts: { actions?: string[]; conflictOnce?: boolean } = {}) {
    let mapped: typeof LOCK_A | null = null;
    let conflictOnce = opts.conflictOnce ?? false;
    routes.push(
      on('GET', '/widget/v1/session', () => ({ status: 200, body: session(opts.actions ?? ['mapping:write']) })),
      on('GET', '/widget/v1/units/U-7', () => ({ status: 200, body: UNIT })),
      on('GET', '/widget/v1/mappings', () => ({ status: 200, body: { items: mapped ? [{ unitId: UNIT.id, lockId: mapped.id, unit: UNIT, lock: mapped, createdAt: UNIT.createdAt }] : [], total: mapped ? 1 : 0 } })),
      on('GET', '/widget/v1/locks', (req) => {
        const q = (req.url.searchParams.get('search') ?? '').toLowerCase();
        const items = [LOCK_A, LOCK_B].filter((l) => l.title.toLowerCase().includes(q));
        return { status: 200, body: { items, total: items.length } };
      }),
      on('PUT', '/widget/v1/units/U-7/mapping', (req) => {
        const body = req.body as { lockId: string; replace: boolean };
        const lock = [LOCK_A, LOCK_B].find((l) => l.id === body.lockId)!;
        if (conflictOnce && !body.replace) {
          conflictOnce = false;
          const other = { ...UNIT, id: '6c4f5d2b-1e0a-4f54-8d88-5b9a3a7e0f43', externalId: 'U-9', name: 'C-11' };
          return err(409, 'conflict', 'The lock is already mapped to another unit', { lockMappedTo: { unitId: other.id, lockId: lock.id, unit: other, lock, createdAt: UNIT.createdAt }, unitMappedTo: null });
        }
        mapped = lock;
        return { status: 201, body: { unitId: UNIT.id, lockId: lock.id, unit: UNIT, lock, createdAt: UNIT.createdAt } };
      }),
      on('DELETE', '/widget/v1/units/U-7/mapping', () => {
        mapped = null;
        return { status: 204 };
      }),
    );
  }

  it('suggests the lock named like the unit and maps it, then unmaps', async () => {
    mappingWorld();
    const { shadow } = mount({ view: 'map-lock', api: API, token: TOKEN, unit: 'U-7', lang: 'en' });
    await shadow.findByText('Not mapped to a Tapkey lock yet.');
    const suggested = await shadow.findByRole('list', { name: 'Suggested for this unit' });
    fireEvent.click(within(suggested).getByRole('button', { name: 'Map to Unit B-07' }));
    await waitFor(() => expect(shadow.getByRole('status').textContent).toBe('Unit B-07 is now mapped to lock “Unit B-07”.'));
    expect(shadow.getByText(`Mapped to lock “Unit B-07” (${LOCK_A.id}).`)).toBeTruthy();
    expect(calls.find((c) => c.method === 'PUT')!.body).toEqual({ lockId: LOCK_A.id, replace: false });
    fireEvent.click(shadow.getByRole('button', { name: 'Remove the mapping' }));
    await waitFor(() => expect(shadow.getByRole('status').textContent).toBe('Unit B-07 is no longer mapped.'));
  });

  it('explains a conflict and replaces on request; searching narrows the locks', async () => {
    mappingWorld({ conflictOnce: true });
    const { shadow } = mount({ view: 'map-lock', api: API, token: TOKEN, unit: 'U-7', lang: 'en' });
    fireEvent.input(await shadow.findByLabelText('Search locks'), { target: { value: 'c-11' } });
    const results = await waitFor(() => {
      const list = shadow.getByRole('list', { name: 'All locks' });
      expect(within(list).getAllByRole('button')).toHaveLength(1);
      return list;
    });
    fireEvent.click(within(results).getByRole('button', { name: 'Map to Unit C-11' }));
    await shadow.findByText('Lock “Unit C-11” is already mapped to unit C-11.');
    expect(shadow.getByRole('alert').textContent).toBe('The lock is already mapped to another unit');
    fireEvent.click(shadow.getByRole('button', { name: 'Replace the mapping' }));
    await waitFor(() => expect(shadow.getByRole('status').textContent).toBe('Unit B-07 is now mapped to lock “Unit C-11”.'));
    expect(calls.filter((c) => c.method === 'PUT').map((c) => c.body)).toEqual([
      { lockId: LOCK_B.id, replace: false },
      { lockId: LOCK_B.id, replace: true },
    ]);
  });

  it('is read-only with mapping:read, and names an unknown unit', async () => {
    mappingWorld({ actions: ['mapping:read'] });
    const { shadow } = mount({ view: 'map-lock', api: API, token: TOKEN, unit: 'U-7', lang: 'en' });
    await shadow.findByText('This widget may show the mapping but not change it.');
    expect(shadow.queryByLabelText('Search locks')).toBeNull();
    document.body.innerHTML = '';
    const unknown = mount({ view: 'map-lock', api: API, token: TOKEN, unit: 'U-404', lang: 'en' });
    await waitFor(() => expect(unknown.shadow.getByRole('alert').textContent).toBe('Unit U-404 is not known to AccessBridge yet.'));
  });
});
