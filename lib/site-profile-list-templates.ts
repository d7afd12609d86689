/**
 * The booking list modes of the built-in profiles (lib/site-profile/templates.ts), as plain data so that
 * module can include them without importing the list reader (lib/site-profile-list.ts).
 */

/** The demo manager's /bookings table (sandbox/manager/pages.ts): one row per booking. */
export const demoManagerList = {
  urlPattern: '^/bookings/?(?:[?#].*)?$',
  rows: 'main table.list tbody tr',
  fields: {
    id: [{ from: 'selector' as const, selector: 'td:nth-child(1) a' }],
    unitId: [{ from: 'selector' as const, selector: 'a[href*="/units/"]', attribute: 'href', regex: '/units/(?<value>[^/?#]+)' }],
    tenantName: [{ from: 'selector' as const, selector: 'td:nth-child(3)' }],
    tenantEmail: [{ from: 'selector' as const, selector: 'a[href^="mailto:"]', attribute: 'href' }],
    moveIn: [{ from: 'selector' as const, selector: 'td:nth-child(5)' }],
    moveOut: [{ from: 'selector' as const, selector: 'td:nth-child(6)' }],
    state: [{ from: 'selector' as const, selector: 'td:nth-child(7)' }],
  },
  stateLabels: { Active: 'active' as const, Reserved: 'reserved' as const, 'Moved out': 'ended' as const, Cancelled: 'cancelled' as const },
  anchor: { selectors: ['main h1'], position: 'after' as const },
};

/**
 * Kinnovis Manager's booking list. Its markup is not published: an assumption the admin checks
 * with "test on this tab" — a table whose rows link to the booking and to its unit, with the
 * tenant's email as a mailto link; dates and state are read from cells by data attributes
 * first, then by column.
 */
export const kinnovisManagerList = {
  urlPattern: '/bookings?/?(?:[?#].*)?$',
  rows: 'table tbody tr',
  fields: {
    id: [
      { from: 'selector' as const, selector: 'a[href*="/booking"]', attribute: 'href', regex: '/bookings?/(?<value>[A-Za-z0-9_-]+)' },
      { from: 'selector' as const, selector: 'td:nth-child(1)' },
    ],
    unitId: [{ from: 'selector' as const, selector: 'a[href*="/unit"]', attribute: 'href', regex: '/units?/(?<value>[A-Za-z0-9_-]+)' }],
    tenantEmail: [{ from: 'selector' as const, selector: 'a[href^="mailto:"]', attribute: 'href' }],
    tenantPhone: [{ from: 'selector' as const, selector: 'a[href^="tel:"]', attribute: 'href' }],
    moveIn: [{ from: 'selector' as const, selector: '[data-field="moveIn"], [data-column="move-in"]' }],
    moveOut: [{ from: 'selector' as const, selector: '[data-field="moveOut"], [data-column="move-out"]' }],
    state: [{ from: 'selector' as const, selector: '[data-field="status"], .badge, .status' }],
  },
  stateLabels: {
    Active: 'active' as const,
    Aktiv: 'active' as const,
    Reserved: 'reserved' as const,
    Reserviert: 'reserved' as const,
    'Moved out': 'ended' as const,
    Ausgezogen: 'ended' as const,
    Cancelled: 'cancelled' as const,
    Storniert: 'cancelled' as const,
  },
  anchor: { selectors: ['main h1', 'h1'], position: 'after' as const },
};
