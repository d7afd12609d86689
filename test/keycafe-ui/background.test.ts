/**
 * The extension's side of the booking dialog, end to end below the UI: the dialog's
 * message-based API → the message router (sender checks, zod) → the background's Keycafe
 * handlers → the real sync API over HTTP → the outbox → the sandbox Keycafe.
 */
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { KeycafeApiError, type KeycafeApi } from '../../components/keycafe/api.ts';
import { createKeycafeHandlers } from '../../entrypoints/background/keycafe.ts';
import { createBackgroundService } from '../../entrypoints/background/service.ts';
import { translate } from '../../lib/i18n/index.ts';
import { popupRecentItem } from '../../lib/storage.ts';
import { DEMO_KEYCAFE_EMAIL } from '../../sandbox/keycafe/index.ts';
import type { SenderLike, SenderPolicy } from '../../lib/messages.ts';
import { startKeycafeWorld, type KeycafeWorld } from '../keycafe/helpers.ts';
import { connectedBackground, keycafeApiFor, untilSettled, type BackgroundService } from '../helpers/keycafe-background.ts';
import { waitUntil } from '../helpers/wait.ts';

const EXT = 'chrome-extension://abcdefghijklmnopabcdefghijklmnop';
const MANAGER = 'https://manager.example.com';
const policy: SenderPolicy = { extensionId: 'ext-id', extensionOrigin: EXT, contentScriptOrigins: ['https://my.tapkey.com'], managerOrigins: [MANAGER] };
const senders = {
  popup: { id: 'ext-id', url: `${EXT}/popup.html` },
  manager: { id: 'ext-id', url: `${MANAGER}/bookings/B1`, tab: { id: 3 } },
  portal: { id: 'ext-id', url: 'https://my.tapkey.com/#/locks', tab: { id: 4 } },
} satisfies Record<string, SenderLike>;

let world: KeycafeWorld;
let service: BackgroundService;

const apiFor = (sender: SenderLike): KeycafeApi =>
  keycafeApiFor(service, policy, sender, (e) => (e instanceof Error && 'info' in e ? (e as unknown as { info: never }).info : { kind: 'internal', message: String(e), fieldErrors: [] }));

const oneTime = (locationId: string, over: Record<string, unknown> = {}) => ({
  locationId,
  keyIds: ['10001'],
  allKeys: false,
  recipient: { email: 'Visitor@Example.com' },
  locale: 'fr' as const,
  type: 'one_time' as const,
  start: { date: '2030-05-06', time: '10:00' },
  end: { date: '2030-05-07', time: '18:00' },
  returnReminder: true,
  requireVisitorId: true,
  visitors: 2,
  photoVerification: true,
  name: 'Move-in Müller',
  ...over,
});

beforeAll(async () => {
  world = await startKeycafeWorld();
});
afterAll(() => world?.close());

beforeEach(async () => {
  service = await connectedBackground(world, senders.popup.url);
});

describe('the booking dialog through the background', () => {
  it('lists accounts and searches keys', async () => {
    const api = apiFor(senders.popup);
    expect(await api.accounts()).toEqual([{ id: world.locationId, name: 'Berlin Mitte' }]);
    const { items } = await api.searchKeys({ search: 'A-01', limit: 20 });
    expect(items.map((k) => k.name)).toContain('Unit A-01 – spare key');
    expect(items[0]).toMatchObject({ timeZone: 'Europe/Berlin', accountLocationId: world.locationId });
  });

  it('books, follows the booking to its code, finds it by key and by recipient, and cancels it', async () => {
    const api = apiFor(senders.popup);
    const created = await api.createBooking(oneTime(world.locationId), 'request-key-books-1');
    expect(created.state).toBe('pending');
    const done = await untilSettled(api, created.id);
    expect(done.state).toBe('active');
    const code = done.accesses[0]!.bookingCode!;
    expect(code).toMatch(/^\d{6}$/);

    const sandboxAccess = world.sandbox.state.account(DEMO_KEYCAFE_EMAIL).liveAccesses().find((a) => a.bookingCode === code)!;
    expect(sandboxAccess).toMatchObject({ keyId: 10001, accessStartDate: '2030-05-06', accessStartTime: '10:00', accessEndTime: '18:00', timeZone: 'Europe/Berlin', locale: 'fr', returnReminder: true });
    expect(done).toMatchObject({ requireVisitorId: true, visitors: 2, photoVerification: true, name: 'Move-in Müller', recipient: { email: 'visitor@example.com' } });

    expect((await api.listBookings({ keyId: '10001', limit: 10 })).items.map((b) => b.id)).toContain(created.id);
    expect((await api.listBookings({ recipient: 'visitor@example.com', limit: 10 })).items.map((b) => b.id)).toContain(created.id);

    const cancelling = await api.cancelBooking(created.id);
    expect(['cancelling', 'cancelled']).toContain(cancelling.state);
    expect((await untilSettled(api, created.id)).state).toBe('cancelled');
    await waitUntil('deleted in Keycafe', async () => world.sandbox.state.account(DEMO_KEYCAFE_EMAIL).accesses.get(sandboxAccess.id)!.deletedAt !== null, 20_000);
  });

  it('the same request key returns the first booking, not a second one', async () => {
    const api = apiFor(senders.popup);
    const first = await api.createBooking(oneTime(world.locationId, { keyIds: ['10002'] }), 'request-key-replayed');
    const again = await api.createBooking(oneTime(world.locationId, { keyIds: ['10002'] }), 'request-key-replayed');
    expect(again.id).toBe(first.id);
  });

  it('a booking that breaks the contract is refused in the background with its field paths', async () => {
    const api = apiFor(senders.popup);
    const error = await api.createBooking(oneTime(world.locationId, { recipient: { email: 'not-an-address' }, photoVerification: true, requireVisitorId: false }), 'request-key-bad').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(KeycafeApiError);
    const e = error as KeycafeApiError;
    expect(e.retryable).toBe(false);
    expect(e.fieldErrors).toEqual(
      expect.arrayContaining([
        { path: 'recipient.email', message: 'Not a valid email address' },
        { path: 'photoVerification', message: 'Photo verification needs "Require visitor ID" too' },
      ]),
    );
  });

  it('the API’s field errors come back in the user’s language', async () => {
    await service.handlers.savePreferences({ type: 'savePreferences', language: 'de' }, { kind: 'extension-page', url: senders.popup.url });
    const api = apiFor(senders.popup);
    const e = (await api.createBooking(oneTime(world.locationId, { keyIds: ['99999'] }), 'request-key-unknown').catch((x: unknown) => x)) as KeycafeApiError;
    expect(e.status).toBe(400);
    expect(e.fieldErrors).toEqual([{ path: 'keyIds.0', message: 'Unbekannter Schlüssel 99999 an diesem Standort' }]);
  });

  it('manager pages may use the dialog; the Tapkey portal script may not', async () => {
    const fromManager = apiFor(senders.manager);
    expect((await fromManager.searchKeys({ search: 'master', limit: 5 })).items.map((k) => k.name)).toContain('Main entrance master key');
    const fromPortal = apiFor(senders.portal);
    const e = (await fromPortal.searchKeys({ search: 'master', limit: 5 }).catch((x: unknown) => x)) as KeycafeApiError;
    expect(e).toBeInstanceOf(KeycafeApiError);
    expect(e.message).toBe(translate('en', 'ext.error.forbidden'));
  });

  it('without settings the dialog says what to do', async () => {
    fakeBrowser.reset();
    service = createBackgroundService({ version: 'test' });
    const e = (await apiFor(senders.popup).searchKeys({ search: '', limit: 5 }).catch((x: unknown) => x)) as KeycafeApiError;
    expect(e.message).toBe(translate('en', 'ext.error.notConfigured'));
  });
});

describe('the popup’s recent lists', () => {
  it('are the latest bookings and captured locks, stored for the next opening, and forgotten with another API token', async () => {
    const lockId = '3f1c2a9e-8b7d-4c21-9a55-2e6f0d4b7c10';
    await service.handlers.captureLocks(
      { type: 'captureLocks', locks: [{ id: lockId, title: 'Unit B-07', pageUrl: `https://my.tapkey.com/#/locks/${lockId}` }] },
      { kind: 'extension-page', url: senders.popup.url },
    );
    const booking = await apiFor(senders.popup).createBooking(oneTime(world.locationId, { keyIds: ['10003'] }), 'request-key-recent');
    const handlers = createKeycafeHandlers(service);
    const recent = await handlers.popupRecent({ type: 'popupRecent' }, { kind: 'extension-page', url: senders.popup.url });
    expect(recent.captures.map((l) => [l.id, l.title, l.source])).toEqual([[lockId, 'Unit B-07', 'captured']]);
    expect(recent.bookings[0]!.id).toBe(booking.id);
    expect(recent.bookings.length).toBeLessThanOrEqual(5);
    expect(await popupRecentItem.getValue()).toEqual(recent);

    await service.handlers.saveSettings({ type: 'saveSettings', apiUrl: world.api.url, token: 'ab_another_token' }, { kind: 'extension-page', url: senders.popup.url });
    await waitUntil('cache cleared', async () => (await popupRecentItem.getValue()) === null, 2000);
  });
});
