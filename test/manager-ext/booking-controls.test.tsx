// @vitest-environment happy-dom
/**
 * The booking page's controls: the tenant's Tapkey access in its four states (and none, with
 * the API's reason), the buttons that fit each, re-reading while Tapkey is being asked, and
 * "Grant Keycafe access" opening the Keycafe dialog prefilled from the booking.
 */
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/preact';
import { afterEach, describe, expect, it } from 'vitest';
import { accessActions, accessWord, BookingControls } from '../../components/manager/BookingControls.tsx';
import { keycafePrefill } from '../../components/manager/keycafe-prefill.ts';
import type { KeycafeApi } from '../../components/keycafe/api.ts';
import type { Booking, Grant } from '../../lib/contract.ts';
import type { AnyMessageInput } from '../../lib/messages.ts';
import type { BookingPageData } from '../../lib/site-profile/index.ts';
import { bridgeError, renderWithUi } from './render.tsx';

afterEach(cleanup);

const page: BookingPageData = {
  externalId: 'B5000',
  unitExternalId: 'U1000',
  tenantName: 'Anna Müller',
  tenantEmail: 'anna.muller0@example.com',
  tenantPhone: '+49 151 2000000',
  moveIn: '2026-01-01',
  moveOut: '2027-01-01',
  state: 'active',
};
const now = '2026-01-01T00:00:00.000Z';
const id = '5f0c2f57-8b43-4a53-9a39-27c5b1b0c7f1';

function booking(status: string, message: string, over: Partial<Booking> = {}, grant: Partial<Grant> | null = null): Booking {
  return {
    id,
    externalId: 'B5000',
    unitId: id,
    unitExternalId: 'U1000',
    tenantEmail: page.tenantEmail,
    tenantPhone: page.tenantPhone,
    moveIn: page.moveIn,
    moveOut: page.moveOut,
    state: 'active',
    syncEnabled: true,
    syncOverride: null,
    bookedAt: null,
    lastSeenAt: now,
    lastSeenVia: 'page',
    stale: false,
    grant: grant
      ? { id, bookingId: id, lockId: 'ea610634-4fc0-4084-85b2-bebf52c3595f', email: page.tenantEmail!, state: 'active', reason: null, tapkeyGrantId: null, validFrom: null, validBefore: null, updatedAt: now, ...grant }
      : null,
    createdAt: now,
    updatedAt: now,
    access: { status, message },
    accessRevoked: false,
    ...over,
  };
}

const keycafe: KeycafeApi = {
  can: { listBookings: false, cancel: false },
  accounts: async () => [{ id, name: 'Berlin Mitte' }],
  searchKeys: async () => ({ items: [], total: 0 }),
  createBooking: async () => {
    throw new Error('not in this test');
  },
  getBooking: async () => {
    throw new Error('not in this test');
  },
  listBookings: async () => ({ items: [], total: 0 }),
  cancelBooking: async () => {
    throw new Error('not in this test');
  },
  retryBooking: async () => {
    throw new Error('not in this test');
  },
};

describe('access words and buttons', () => {
  it('names the four grant states and "none", and offers only what fits', () => {
    expect(['active', 'pending', 'waiting_for_move_in', 'failed', 'revoked', 'revoked_manually', 'no_email', 'sync_off'].map(accessWord)).toEqual([
      'active',
      'pending',
      'pending',
      'failed',
      'revoked',
      'revoked',
      'none',
      'none',
    ]);
    const actions = (status: string, accessRevoked = false) => accessActions({ access: { status, message: '' }, accessRevoked });
    expect(actions('active')).toEqual(['revoke']);
    expect(actions('failed')).toEqual(['retry', 'revoke']);
    expect(actions('sync_off')).toEqual(['syncOn']);
    expect(actions('revoked', true)).toEqual(['restore']);
    expect(actions('booking_inactive')).toEqual([]);
    // No Tapkey at the unit's location: no Tapkey buttons at all.
    expect(actions('location_not_connected')).toEqual([]);
    expect(actions('unit_without_location', true)).toEqual([]);
  });
});

describe('booking controls', () => {
  it('pushes the booking and shows an active access with "Revoke access", then revoked with "Restore access"', async () => {
    const { sent } = renderWithUi(
      <BookingControls booking={page} keycafe={keycafe} />,
      (m: AnyMessageInput) => {
        if (m.type === 'pushBooking') return { booking: booking('active', 'Tapkey access granted to anna.muller0@example.com.', {}, { state: 'active' }) };
        if (m.type === 'revokeBookingAccess')
          return { booking: booking('revoked', 'Tapkey access revoked: access was revoked by hand', { accessRevoked: true }, { state: 'revoked' }) };
        throw new Error(`unexpected ${m.type}`);
      },
    );
    await screen.findByText('Tapkey access: active');
    expect(screen.getByText('Tapkey access granted to anna.muller0@example.com.')).toBeTruthy();
    expect(sent[0]).toEqual({ type: 'pushBooking', booking: page });
    fireEvent.click(screen.getByRole('button', { name: 'Revoke access' }));
    await screen.findByText('Tapkey access: revoked');
    expect(screen.getByRole('status').textContent).toBe('Access is being revoked. The lock learns it at its next sync with a phone.');
    expect(screen.queryByRole('button', { name: 'Revoke access' })).toBeNull();
    expect(screen.getByRole('button', { name: 'Restore access' })).toBeTruthy();
  });

  it('shows a failed grant with its reason and "Try again"', async () => {
    const { sent } = renderWithUi(<BookingControls booking={page} keycafe={keycafe} />, (m) => {
      if (m.type === 'pushBooking') return { booking: booking('failed', 'The Tapkey update failed: the contact was not found', {}, { state: 'failed', reason: 'the contact was not found' }) };
      if (m.type === 'restoreBookingAccess') return { booking: booking('active', 'Granted.', {}, { state: 'active' }) };
      throw new Error(`unexpected ${m.type}`);
    });
    await screen.findByText('Tapkey access: failed');
    expect(screen.getByText('The Tapkey update failed: the contact was not found')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Try again' }));
    await screen.findByText('Tapkey access: active');
    expect(sent).toContainEqual({ type: 'restoreBookingAccess', externalId: 'B5000' });
  });

  it('re-reads the access while Tapkey is being asked, until it settles', async () => {
    let reads = 0;
    renderWithUi(<BookingControls booking={page} keycafe={keycafe} pollMs={10} />, (m) => {
      if (m.type === 'pushBooking') return { booking: booking('pending', 'Tapkey is being updated.', {}, { state: 'pending' }) };
      if (m.type === 'bookingAccess') return { booking: ++reads < 3 ? booking('pending', 'Tapkey is being updated.', {}, { state: 'pending' }) : booking('active', 'Granted.', {}, { state: 'active' }) };
      throw new Error(`unexpected ${m.type}`);
    });
    await screen.findByText('Tapkey access: pending');
    await screen.findByText('Tapkey access: active');
    expect(reads).toBe(3);
  });

  it('offers "Turn on Tapkey access" when sync is off for the booking, and no Tapkey buttons without Tapkey', async () => {
    const { unmount } = renderWithUi(<BookingControls booking={page} keycafe={keycafe} />, () => ({
      booking: booking('sync_off', 'No access: sync is off for this booking (gradual mode).'),
    }));
    await screen.findByText('Tapkey access: none');
    expect(screen.getByRole('button', { name: 'Turn on Tapkey access for this booking' })).toBeTruthy();
    unmount();

    renderWithUi(<BookingControls booking={page} keycafe={keycafe} />, () => ({
      booking: booking('location_not_connected', "No access: the unit's location is not connected to Tapkey."),
    }));
    await screen.findByText("No access: the unit's location is not connected to Tapkey.");
    const buttons = screen.getAllByRole('button').map((b) => b.textContent);
    expect(buttons).toEqual(['Grant Keycafe access']);
  });

  it('says why the booking could not be sent, and retries', async () => {
    let fail = true;
    renderWithUi(<BookingControls booking={page} keycafe={keycafe} />, () => {
      if (fail) throw bridgeError({ kind: 'api', status: 400, message: 'Some fields are not valid', fieldErrors: [{ path: 'unitExternalId', message: 'No unit U1000' }] });
      return { booking: booking('active', 'Granted.', {}, { state: 'active' }) };
    });
    await waitFor(() =>
      expect(screen.getByRole('alert').textContent).toBe(
        'Booking B5000 could not be sent to AccessBridge: The API refused the request: Some fields are not valid (unitExternalId: No unit U1000)',
      ),
    );
    fail = false;
    fireEvent.click(screen.getByRole('button', { name: 'Retry' }));
    await screen.findByText('Tapkey access: active');
  });

  it('opens "Grant Keycafe access" with the tenant, phone, name and dates from the booking', async () => {
    renderWithUi(<BookingControls booking={page} keycafe={keycafe} />, () => ({ booking: booking('active', 'Granted.', {}, { state: 'active' }) }));
    fireEvent.click(await screen.findByRole('button', { name: 'Grant Keycafe access' }));
    const dialog = await screen.findByRole('dialog', { name: 'Grant Keycafe access' });
    expect((within(dialog).getByLabelText('Visitor’s email') as HTMLInputElement).value).toBe('anna.muller0@example.com');
    expect((within(dialog).getByLabelText('Booking name (optional)') as HTMLInputElement).value).toBe('Anna Müller');
    expect((within(dialog).getByLabelText('End date') as HTMLInputElement).value).toBe('2027-01-01');
  });
});

describe('Keycafe prefill', () => {
  const today = new Date(2026, 5, 15);
  it('turns a booking with a move-out into one-time access from move-in (or today) to move-out, times left open', () => {
    expect(keycafePrefill(page, today)).toEqual({
      email: 'anna.muller0@example.com',
      mobile: '+49 151 2000000',
      name: 'Anna Müller',
      type: 'one_time',
      start: { date: '2026-06-15' },
      end: { date: '2027-01-01' },
    });
    expect(keycafePrefill({ ...page, moveIn: '2026-07-01' }, today).start).toEqual({ date: '2026-07-01' });
  });

  it('turns an open-ended booking into ongoing access, and leaves out what the page does not show', () => {
    expect(keycafePrefill({ ...page, moveOut: null, tenantEmail: null, tenantName: null }, today)).toEqual({ mobile: '+49 151 2000000', type: 'ongoing' });
  });
});
