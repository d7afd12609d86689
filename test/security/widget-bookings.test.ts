/**
 * A widget token runs on a third party's page: it sees and changes only the Keycafe bookings
 * it made. A booking-only token (`keycafe:book`) cannot read, cancel or retry any other booking
 * of its organization (404, as if it did not exist), nor obtain one by replaying its
 * Idempotency-Key; a token with `keycafe:read` lists the others' bookings for duplicate checks
 * but never their booking codes or check-in links. API tokens keep seeing everything.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KeycafeBooking, WidgetToken } from '../../lib/contract.ts';
import type { TestApi } from '../helpers/api.ts';
import { startKeycafeWorld, type KeycafeWorld } from '../keycafe/helpers.ts';
import { createWidgetClient } from '../../widget/client.ts';

const PAGE = 'https://manager.example.com';

let world: KeycafeWorld;
let api: TestApi;
/** Made with the organization's API token. */
let byApi: KeycafeBooking;
/** Made with widget token `bookerA`. */
let byA: KeycafeBooking;
let bookerA: string;
let bookerB: string;
let reader: string;

async function widgetToken(actions: string[]) {
  const r = await api.json<WidgetToken>('POST', '/v1/widget-tokens', { origins: [PAGE], actions, ttlSeconds: 600 });
  expect(r.status).toBe(201);
  return r.body.token;
}

function widget<T = any>(method: string, path: string, token: string, opts: { body?: unknown; headers?: Record<string, string> } = {}) {
  return api.json<T>(method, `/widget${path}`, opts.body, { token, headers: { origin: PAGE, ...opts.headers } });
}

const booking = (email: string, keyId: string) => ({
  locationId: world.locationId,
  keyIds: [keyId],
  recipient: { email },
  type: 'one_time',
  start: { date: '2030-05-06', time: '10:00' },
  end: { date: '2030-05-07', time: '18:00' },
});

const codesOf = (b: KeycafeBooking) => b.accesses.flatMap((a) => [a.bookingCode, a.checkinLink]).filter((v) => v !== null);

beforeAll(async () => {
  world = await startKeycafeWorld();
  api = world.api;
  [bookerA, bookerB, reader] = await Promise.all([widgetToken(['keycafe:book']), widgetToken(['keycafe:book']), widgetToken(['keycafe:book', 'keycafe:read'])]);
  const made = await api.json<KeycafeBooking>('POST', '/v1/keycafe/bookings', booking('office.visitor@example.com', '10001'));
  expect(made.status).toBe(201);
  const fromWidget = await widget<KeycafeBooking>('POST', '/v1/keycafe/bookings', bookerA, { body: booking('widget.visitor@example.com', '10002'), headers: { 'idempotency-key': 'widget-a-request-1' } });
  expect(fromWidget.status).toBe(201);
  byApi = await world.waitForBooking(made.body.id);
  byA = await world.waitForBooking(fromWidget.body.id);
  expect(byApi.state).toBe('active');
  expect(byA.state).toBe('active');
  // Both really have codes: what the widget must not get for the other one.
  expect(codesOf(byApi).length).toBe(2);
  expect(codesOf(byA).length).toBe(2);
});
afterAll(() => world?.close());

describe('a booking-only widget token', () => {
  it('reads its own booking with its codes', async () => {
    const own = await widget<KeycafeBooking>('GET', `/v1/keycafe/bookings/${byA.id}`, bookerA);
    expect(own.status).toBe(200);
    expect(own.body.accesses[0]!.bookingCode).toBe(byA.accesses[0]!.bookingCode);
  });

  it('cannot read a booking it did not make: not the API token’s, not another widget token’s', async () => {
    for (const [token, id] of [
      [bookerA, byApi.id],
      [bookerB, byA.id],
      [bookerB, byApi.id],
    ] as const) {
      const r = await widget('GET', `/v1/keycafe/bookings/${id}`, token);
      expect(r.status).toBe(404);
      expect(JSON.stringify(r.body)).not.toContain(byApi.accesses[0]!.bookingCode!);
      expect(JSON.stringify(r.body)).not.toContain(byA.accesses[0]!.bookingCode!);
    }
  });

  it('cannot cancel or retry a booking it did not make, and the booking stays as it was', async () => {
    for (const action of ['cancel', 'retry']) {
      expect((await widget('POST', `/v1/keycafe/bookings/${byApi.id}/${action}`, bookerA)).status).toBe(404);
      expect((await widget('POST', `/v1/keycafe/bookings/${byA.id}/${action}`, bookerB)).status).toBe(404);
      expect((await widget('POST', `/v1/keycafe/bookings/${byApi.id}/${action}`, reader)).status).toBe(404);
    }
    for (const b of [byApi, byA]) {
      const now = await api.json<KeycafeBooking>('GET', `/v1/keycafe/bookings/${b.id}`);
      expect(now.body.state).toBe('active');
    }
    const audit = await api.json('GET', `/v1/audit-events?entity=keycafe_booking&entityId=${byApi.id}`);
    expect(audit.body.items.map((e: { action: string }) => e.action)).not.toContain('keycafe.booking.cancel_requested');
  });

  it('cannot obtain another token’s booking by replaying its Idempotency-Key', async () => {
    const replay = await widget('POST', '/v1/keycafe/bookings', bookerB, { body: booking('widget.visitor@example.com', '10002'), headers: { 'idempotency-key': 'widget-a-request-1' } });
    expect(replay.status).toBe(409);
    expect(JSON.stringify(replay.body)).not.toContain(byA.id);
    // Its maker still gets the first booking back.
    const again = await widget<KeycafeBooking>('POST', '/v1/keycafe/bookings', bookerA, { body: booking('widget.visitor@example.com', '10002'), headers: { 'idempotency-key': 'widget-a-request-1' } });
    expect(again.status).toBe(200);
    expect(again.body.id).toBe(byA.id);
  });

  it('cancels its own booking', async () => {
    const own = await widget('POST', '/v1/keycafe/bookings', bookerB, { body: booking('b.visitor@example.com', '10003') });
    expect(own.status).toBe(201);
    const cancelled = await widget<KeycafeBooking>('POST', `/v1/keycafe/bookings/${own.body.id}/cancel`, bookerB);
    expect(cancelled.status).toBe(200);
    expect(['cancelling', 'cancelled']).toContain(cancelled.body.state);
  });
});

describe('a widget token with keycafe:read', () => {
  it('lists the organization’s bookings without anyone else’s codes or check-in links', async () => {
    const list = await widget<{ items: KeycafeBooking[] }>('GET', '/v1/keycafe/bookings?limit=50', reader);
    expect(list.status).toBe(200);
    const ids = list.body.items.map((b) => b.id);
    expect(ids).toEqual(expect.arrayContaining([byApi.id, byA.id]));
    for (const b of list.body.items) expect(codesOf(b)).toEqual([]);
    const one = await widget<KeycafeBooking>('GET', `/v1/keycafe/bookings/${byApi.id}`, reader);
    expect(one.status).toBe(200);
    expect(one.body.recipient.email).toBe('office.visitor@example.com');
    expect(codesOf(one.body)).toEqual([]);
  });

  it('sees the codes of the bookings it made', async () => {
    const own = await widget<KeycafeBooking>('POST', '/v1/keycafe/bookings', reader, { body: booking('r.visitor@example.com', '10004') });
    const done = await world.waitForBooking(own.body.id);
    const list = await widget<{ items: KeycafeBooking[] }>('GET', '/v1/keycafe/bookings?recipient=r.visitor', reader);
    expect(list.body.items.map((b) => b.accesses[0]!.bookingCode)).toEqual([done.accesses[0]!.bookingCode]);
    expect(done.accesses[0]!.bookingCode).not.toBeNull();
  });
});

describe('the widget', () => {
  it('offers Cancel only for the bookings it made (the others would answer 404)', async () => {
    const client = createWidgetClient({
      apiUrl: api.url,
      token: reader,
      lang: 'en',
      t: (key) => key,
      // A browser sends the embedding page's Origin by itself.
      fetch: (url, init) => fetch(url, { ...init, headers: { ...(init?.headers as Record<string, string>), origin: PAGE } }),
    });
    const keycafe = client.keycafe(await client.session());
    const mine = await keycafe.createBooking(booking('widget.ui@example.com', '10005') as never, 'widget-ui-request-1');
    const listed = await keycafe.listBookings({ limit: 50 });
    expect(listed.items.map((b) => b.id)).toEqual(expect.arrayContaining([mine.id, byApi.id, byA.id]));
    expect(listed.items.filter((b) => keycafe.mayCancel!(b)).map((b) => b.id)).toEqual([mine.id]);
  });
});

describe('an API token', () => {
  it('still reads every booking with its codes, widget-made ones included', async () => {
    const list = await api.json<{ items: KeycafeBooking[] }>('GET', '/v1/keycafe/bookings?limit=50');
    const a = list.body.items.find((b) => b.id === byA.id)!;
    expect(a.accesses[0]!.bookingCode).toBe(byA.accesses[0]!.bookingCode);
  });
});
