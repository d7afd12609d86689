// @vitest-environment happy-dom
import { cleanup, fireEvent, screen, waitFor } from '@testing-library/preact';
import { afterEach, describe, expect, it } from 'vitest';
import { CaptureBookingsButton } from '../../components/manager/CaptureBookingsButton.tsx';
import type { ListReading } from '../../lib/site-profile-list.ts';
import { bridgeError, renderWithUi } from '../manager-ext/render.tsx';

afterEach(cleanup);

const list = (n: number, over: Partial<ListReading> = {}): ListReading => ({
  profileId: 'demo-manager',
  bookings: Array.from({ length: n }, (_, i) => ({
    externalId: `B${i}`,
    unitExternalId: `U${i}`,
    tenantName: `Tenant ${i}`,
    tenantEmail: `t${i}@example.com`,
    tenantPhone: null,
    moveIn: '2026-03-01',
    moveOut: null,
    state: 'active',
  })),
  failed: [],
  tooMany: false,
  anchor: null,
  ...over,
});

describe('Capture all bookings on this page', () => {
  it('sends every booking once (without tenant names) and shows new, changed and unchanged counts', async () => {
    const { sent } = renderWithUi(<CaptureBookingsButton list={list(50)} />, () => ({ result: { total: 50, created: 48, changed: 1, unchanged: 1, refused: [] } }));
    expect(screen.getByText('Bookings on this page: 50')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Capture all bookings on this page' }));
    await waitFor(() => expect(screen.getByRole('status').textContent).toBe('Captured 50 bookings: 48 new, 1 changed, 1 unchanged.'));
    expect(sent).toHaveLength(1);
    const m = sent[0] as { type: string; bookings: Record<string, unknown>[] };
    expect(m.type).toBe('captureBookings');
    expect(m.bookings).toHaveLength(50);
    expect(m.bookings[0]).not.toHaveProperty('tenantName');
    expect((screen.getByRole('button') as HTMLButtonElement).disabled).toBe(false);
  });

  it('names bookings the API did not take, and errors, in the alert region', async () => {
    renderWithUi(<CaptureBookingsButton list={list(2)} />, () => ({
      result: { total: 2, created: 1, changed: 0, unchanged: 0, refused: [{ externalId: 'B1', code: 'restore_needed', field: 'state', message: 'Booking B1 is ended' }] },
    }));
    fireEvent.click(screen.getByRole('button'));
    await waitFor(() => expect(screen.getByRole('alert').textContent).toContain('1 not taken: B1: Booking B1 is ended'));
    cleanup();
    renderWithUi(<CaptureBookingsButton list={list(2)} />, () => {
      throw bridgeError({ kind: 'unreachable', message: 'down' });
    });
    fireEvent.click(screen.getByRole('button'));
    await waitFor(() => expect(screen.getByRole('alert').textContent).not.toBe(''));
  });

  it('says which rows it could not read, and offers nothing when no row was read (German)', () => {
    const failed = [{ row: 3, problems: [{ field: 'booking.moveIn', code: 'not_date' as const, params: { text: 'soon', order: 'DMY' } }] }];
    renderWithUi(<CaptureBookingsButton list={list(0, { failed })} />, () => null, 'de');
    expect(screen.queryByRole('button')).toBeNull();
    expect(screen.getByText(/1 Zeilen konnten nicht gelesen werden/)).toBeTruthy();
    expect(screen.getByText('Auf dieser Seite konnten keine Buchungen gelesen werden.')).toBeTruthy();
  });
});
