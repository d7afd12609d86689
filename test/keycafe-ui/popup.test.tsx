// @vitest-environment happy-dom
/** The toolbar popup: what it paints from the cached state, and its quick booking. */
import { signal } from '@preact/signals';
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/preact';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { BookingDialog } from '../../components/keycafe/BookingDialog.tsx';
import { createUi, UiContext } from '../../components/ui-context.ts';
import { Popup, type PopupConnection, type PopupLastChoice } from '../../entrypoints/popup/Popup.tsx';
import { translate, type Language } from '../../lib/i18n/index.ts';
import type { KeycafeBooking, Lock } from '../../lib/contract.ts';
import type { PopupRecent } from '../../lib/messages.ts';
import { createFakeApi, KEYS } from './fake-api.ts';

afterEach(cleanup);

const lock: Lock = {
  id: '3f1c2a9e-8b7d-4c21-9a55-2e6f0d4b7c10',
  title: 'Unit B-07',
  source: 'captured',
  locationId: null,
  capturedUrl: 'https://my.tapkey.com/#/locks/3f1c2a9e-8b7d-4c21-9a55-2e6f0d4b7c10',
  createdAt: '2030-04-01T00:00:00.000Z',
  updatedAt: '2030-04-01T00:00:00.000Z',
};

const booking: KeycafeBooking = {
  id: '11111111-1111-4111-8111-111111111111',
  locationId: KEYS[0]!.accountLocationId,
  type: 'ongoing',
  allKeys: false,
  recipient: { email: null, mobile: '+4915123456789' },
  locale: 'en',
  name: null,
  timeZone: null,
  startsAt: null,
  endsAt: null,
  returnReminder: false,
  reminderAt: null,
  reminder: null,
  start: null,
  end: null,
  requireVisitorId: false,
  visitors: 1,
  photoVerification: false,
  state: 'active',
  accesses: [{ keyId: '10021', keyName: 'Main entrance master key', state: 'active', reason: null, keycafeAccessId: 'a', bookingCode: '482913', checkinLink: null, addedBySync: false, updatedAt: '2030-04-01T00:00:00.000Z' }],
  createdAt: '2030-04-01T00:00:00.000Z',
  updatedAt: '2030-04-01T00:00:00.000Z',
};

function renderPopup(opts: { connection?: Partial<PopupConnection>; recent?: PopupRecent | null; fresh?: boolean; last?: PopupLastChoice | null; lang?: Language } = {}) {
  const fake = createFakeApi();
  const connection = signal<PopupConnection>({ state: 'connected', organizationName: 'Demo storage', checkedAt: '2030-04-01T10:00:00.000Z', queue: null, ...opts.connection });
  const recent = signal({ data: opts.recent === undefined ? { captures: [lock], bookings: [booking], fetchedAt: '2030-04-01T10:00:00.000Z' } : opts.recent, fresh: opts.fresh ?? false, error: null as string | null });
  const lastChoice = signal(opts.last ?? null);
  const handlers = { openOptions: vi.fn(), onBooked: vi.fn(), onDialogClosed: vi.fn() };
  render(
    <UiContext.Provider value={createUi(opts.lang ?? 'en', (() => Promise.reject(new Error('unused'))) as never, translate)}>
      <Popup connection={connection} recent={recent} lastChoice={lastChoice} loadDialog={async () => ({ BookingDialog, api: fake.api })} {...handlers} />
    </UiContext.Provider>,
  );
  return { fake, connection, recent, lastChoice, ...handlers };
}

describe('popup', () => {
  it('paints the cached connection, bookings and captures, marked as from the last visit', () => {
    renderPopup();
    expect(screen.getByRole('status').textContent).toBe('Connected to Demo storage');
    const bookings = screen.getByRole('region', { name: 'Recent Keycafe bookings' });
    expect(within(bookings).getByText('+4915123456789')).toBeTruthy();
    expect(within(bookings).getByText('Main entrance master key')).toBeTruthy();
    expect(within(bookings).getByText('482913')).toBeTruthy();
    expect(within(bookings).getByText('Ongoing, until cancelled')).toBeTruthy();
    const captures = screen.getByRole('region', { name: 'Recently captured locks' });
    expect(within(captures).getByText('Unit B-07')).toBeTruthy();
    expect(screen.getByText('Shown from the last visit; updating…')).toBeTruthy();
  });

  it('shows fresh data without the note, a refresh failure as an alert, and empty lists as such', async () => {
    const { recent, connection } = renderPopup({ recent: null });
    expect(within(screen.getByRole('region', { name: 'Recent Keycafe bookings' })).getByText('Loading…')).toBeTruthy();
    recent.value = { data: { captures: [], bookings: [], fetchedAt: 'x' }, fresh: true, error: null };
    await screen.findByText('No Keycafe bookings yet.');
    expect(screen.getByText('No locks captured yet: open a lock in the Tapkey portal.')).toBeTruthy();
    expect(screen.queryByText('Shown from the last visit; updating…')).toBeNull();
    recent.value = { ...recent.value, error: 'The AccessBridge API cannot be reached' };
    await waitFor(() => expect(screen.getByRole('alert').textContent).toBe('Could not update: The AccessBridge API cannot be reached'));
    connection.value = { ...connection.value, state: 'unreachable', queue: { pending: 2, failed: 1 } };
    await waitFor(() => expect(screen.getByRole('status').textContent).toBe('The API cannot be reached.'));
    expect(screen.getByText('Waiting to be sent: 2, failed: 1')).toBeTruthy();
  });

  it('before setup: says where to set it up and offers no booking', () => {
    const { openOptions } = renderPopup({ connection: { state: 'not_configured', organizationName: null, checkedAt: null } });
    expect(screen.getByRole('status').textContent).toBe('Not set up yet: enter the API URL and token in the options.');
    expect((screen.getByRole('button', { name: 'Grant Keycafe access' }) as HTMLButtonElement).disabled).toBe(true);
    fireEvent.click(screen.getByRole('button', { name: 'Options' }));
    expect(openOptions).toHaveBeenCalled();
  });

  it('quick booking opens the dialog with the last key and language, and reports the booking', async () => {
    const { fake, onBooked, onDialogClosed } = renderPopup({ last: { keyId: '10021', keyName: 'Main entrance master key', locale: 'fr' } });
    expect(screen.getByText('Last key: Main entrance master key')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Grant Keycafe access' }));
    // The dialog's module loads on demand (after the first paint).
    const dialog = await screen.findByRole('dialog', { name: 'Grant Keycafe access' }, { timeout: 3000 });
    await within(dialog).findByRole('button', { name: 'Remove Main entrance master key' }, { timeout: 3000 });
    expect((within(dialog).getByLabelText('Language of the visitor’s instructions') as HTMLSelectElement).value).toBe('fr');
    fireEvent.input(within(dialog).getByLabelText('Visitor’s email'), { target: { value: 'guest@example.com' } });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Grant access' }));
    await waitFor(() => expect(onBooked).toHaveBeenCalledTimes(1));
    expect(fake.api.createBooking.mock.calls[0]![0]).toMatchObject({ keyIds: ['10021'], locale: 'fr', type: 'one_time' });
    fireEvent.click(await within(dialog).findByRole('button', { name: 'Close' }));
    expect(onDialogClosed).toHaveBeenCalled();
    expect(screen.queryByRole('dialog')).toBeNull();
    // The dialog took the popup's place; closing it gives focus back to its button.
    await waitFor(() => expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Grant Keycafe access' })));
  });

  it('speaks French', () => {
    renderPopup({ lang: 'fr' });
    expect(screen.getByRole('status').textContent).toBe('Connecté à Demo storage');
    expect(screen.getByRole('button', { name: 'Accorder un accès Keycafe' })).toBeTruthy();
  });
});
