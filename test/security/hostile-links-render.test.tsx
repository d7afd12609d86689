// @vitest-environment happy-dom
/**
 * The renderer checks links again (lib/safe-url.ts): whatever a host's API answered — the
 * extension's, the widget's — a check-in link that is not https is not rendered as a link,
 * while its booking code still shows.
 */
import { cleanup, render } from '@testing-library/preact';
import { afterEach, describe, expect, it } from 'vitest';
import { BookingResult } from '../../components/keycafe/BookingResult.tsx';
import { createUi, UiContext } from '../../components/ui-context.ts';
import type { KeycafeBooking } from '../../lib/contract.ts';
import { translate } from '../../lib/i18n/index.ts';
import { isSafeLinkUrl } from '../../lib/safe-url.ts';
import { HOSTILE_URLS } from './hostile-urls.ts';

describe('the renderer', () => {
  afterEach(cleanup);

  it('shows the code but no link for a check-in link that is not https, whatever the host’s API answered', () => {
    const booking = {
      id: '6f1c0a52-4a8e-4a38-9d55-0a0b7c7d9e01',
      locationId: '6f1c0a52-4a8e-4a38-9d55-0a0b7c7d9e02',
      type: 'ongoing',
      allKeys: false,
      recipient: { email: 'v@example.com', mobile: null },
      locale: 'en',
      name: null,
      timeZone: 'Europe/Berlin',
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
      accesses: HOSTILE_URLS.slice(0, 6)
        .map((url, i) => ({ keyId: `k${i}`, keyName: `Key ${i}`, state: 'active', reason: null, keycafeAccessId: `a${i}`, bookingCode: `10000${i}`, checkinLink: url, addedBySync: false, updatedAt: '2030-01-01T00:00:00.000Z' }))
        .concat({ keyId: 'ok', keyName: 'Key ok', state: 'active', reason: null, keycafeAccessId: 'ok', bookingCode: '200000', checkinLink: 'https://www.keycafe.com/c/ok', addedBySync: false, updatedAt: '2030-01-01T00:00:00.000Z' }),
      createdAt: '2030-01-01T00:00:00.000Z',
      updatedAt: '2030-01-01T00:00:00.000Z',
    } as unknown as KeycafeBooking;
    const ui = createUi('en', (() => Promise.reject(new Error('no messages'))) as never, translate);
    const { container } = render(
      <UiContext.Provider value={ui}>
        <BookingResult booking={booking} retrying={false} onRetry={() => undefined} onCopied={() => undefined} />
      </UiContext.Provider>,
    );
    const hrefs = [...container.querySelectorAll('a')].map((a) => a.getAttribute('href'));
    expect(hrefs).toEqual(['https://www.keycafe.com/c/ok']);
    expect(hrefs.every((h) => h && isSafeLinkUrl(h))).toBe(true);
    expect(container.textContent).toContain('100000');
  });
});
