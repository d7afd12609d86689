/**
 * Secrets stay out of page-hosted UI. The manager content script runs the Keycafe booking
 * dialog inside the manager's web page, whose own scripts could read anything it renders. The
 * background therefore never sends booking codes or check-in links to it — not for the
 * booking just made, not in the existing-bookings list (other visitors' bookings), not on
 * cancel or retry — while the popup (an extension page) still gets them. Through the real
 * router, background handlers, sync API and sandbox Keycafe.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { KeycafeApi } from '../../components/keycafe/api.ts';
import { createMessageKeycafeApi } from '../../components/keycafe/message-api.ts';
import { createKeycafeHandlers } from '../../entrypoints/background/keycafe.ts';
import type { KeycafeBooking } from '../../lib/contract.ts';
import type { SenderLike, SenderPolicy } from '../../lib/messages.ts';
import { startKeycafeWorld, type KeycafeWorld } from '../keycafe/helpers.ts';
import { connectedBackground, keycafeApiFor, untilSettled, type BackgroundService } from '../helpers/keycafe-background.ts';

const EXT = 'chrome-extension://abcdefghijklmnopabcdefghijklmnop';
const MANAGER = 'https://manager.example.com';
const policy: SenderPolicy = { extensionId: 'ext-id', extensionOrigin: EXT, contentScriptOrigins: ['https://my.tapkey.com'], managerOrigins: [MANAGER] };
const popup: SenderLike = { id: 'ext-id', url: `${EXT}/popup.html` };
const managerPage: SenderLike = { id: 'ext-id', url: `${MANAGER}/bookings/B1`, tab: { id: 3 } };

let world: KeycafeWorld;
let service: BackgroundService;

const apiFor = (sender: SenderLike): KeycafeApi => keycafeApiFor(service, policy, sender, (e) => ({ kind: 'internal', message: String(e), fieldErrors: [] }));

const booking = (email: string, keyId: string) => ({
  locationId: world.locationId,
  keyIds: [keyId],
  allKeys: false,
  recipient: { email },
  locale: 'en' as const,
  type: 'one_time' as const,
  start: { date: '2030-05-06', time: '10:00' },
  end: { date: '2030-05-07', time: '18:00' },
  returnReminder: false,
  requireVisitorId: false,
  visitors: 1,
  photoVerification: false,
  name: '',
});

const secretsOf = (bookings: KeycafeBooking[]) => bookings.flatMap((b) => b.accesses.flatMap((a) => [a.bookingCode, a.checkinLink])).filter((v) => v !== null);

const settle = untilSettled;

beforeAll(async () => {
  world = await startKeycafeWorld();
});
afterAll(() => world?.close());

beforeEach(async () => {
  service = await connectedBackground(world, `${EXT}/popup.html`);
});

describe('booking codes and check-in links never reach the manager page', () => {
  it('another visitor’s booking: listed by key and by recipient without its code; the popup sees it', async () => {
    const fromPopup = apiFor(popup);
    const made = await fromPopup.createBooking(booking('other.visitor@example.com', '10001'), 'isolation-other-1');
    const done = await settle(fromPopup, made.id);
    expect(done.state).toBe('active');
    expect(secretsOf([done])).toHaveLength(2);

    const fromManager = apiFor(managerPage);
    const byKey = await fromManager.listBookings({ keyId: '10001', limit: 10 });
    const byRecipient = await fromManager.listBookings({ recipient: 'other.visitor@example.com', limit: 10 });
    expect(byKey.items.map((b) => b.id)).toContain(made.id);
    expect(byRecipient.items.map((b) => b.id)).toContain(made.id);
    expect(secretsOf([...byKey.items, ...byRecipient.items])).toEqual([]);
    // Still useful for spotting a duplicate: who, which key, in which state.
    expect(byKey.items.find((b) => b.id === made.id)).toMatchObject({ recipient: { email: 'other.visitor@example.com' }, state: 'active', accesses: [{ keyId: '10001', state: 'active' }] });

    const one = await fromManager.getBooking(made.id);
    expect(secretsOf([one])).toEqual([]);
    const serialized = JSON.stringify([byKey, byRecipient, one]);
    for (const secret of secretsOf([done])) expect(serialized).not.toContain(secret);
  });

  it('the booking made on the manager page: not on create, while polling or on cancel; the popup has it', async () => {
    const fromManager = apiFor(managerPage);
    const made = await fromManager.createBooking(booking('tenant@example.com', '10002'), 'isolation-own-1');
    const done = await settle(fromManager, made.id);
    expect(done.state).toBe('active');
    expect(secretsOf([made, done])).toEqual([]);

    const fromPopup = apiFor(popup);
    const seenInPopup = await fromPopup.getBooking(made.id);
    expect(seenInPopup.accesses[0]!.bookingCode).toMatch(/^\d{6}$/);
    const recent = await createKeycafeHandlers(service).popupRecent({ type: 'popupRecent' }, { kind: 'extension-page', url: `${EXT}/popup.html` });
    expect(recent.bookings.find((b) => b.id === made.id)!.accesses[0]!.bookingCode).toBe(seenInPopup.accesses[0]!.bookingCode);

    const cancelled = await fromManager.cancelBooking(made.id);
    expect(secretsOf([cancelled])).toEqual([]);
  });

  it('the page-hosted dialog is told so, the popup’s is not', () => {
    expect(createMessageKeycafeApi(async () => undefined as never, (k) => k, { codesHidden: true }).codesHidden).toBe(true);
    expect(apiFor(popup).codesHidden).toBe(false);
  });
});
