/** Built-in profiles: the sandbox's demo manager, and a starting point for Kinnovis Manager. */
import { demoManagerList, kinnovisManagerList } from '../site-profile-list-templates.ts';
import { siteProfileSchema, type SiteProfile } from './schema.ts';

/**
 * The sandbox's demo manager (sandbox/manager). Its origin follows wherever the sandbox runs.
 * Every field has a fallback so the options preview can show one failing and the next winning.
 */
export const DEMO_MANAGER_PROFILE_ID = 'demo-manager';

export function demoManagerProfile(origin: string): SiteProfile {
  return siteProfileSchema.parse({
    id: DEMO_MANAGER_PROFILE_ID,
    name: 'Demo manager (sandbox)',
    origin,
    dateOrder: 'DMY',
    scope: 'content',
    unitPage: {
      urlPattern: '^/units/(?<unitId>[^/?#]+)/?(?:[?#].*)?$',
      fields: {
        id: [{ from: 'url', group: 'unitId' }, { from: 'label', label: 'Unit ID', within: '#general-card' }],
        name: [{ from: 'selector', selector: '#general-card .unit-name' }, { from: 'label', label: 'Unit name' }],
        location: [{ from: 'label', label: 'Location', within: '#general-card' }],
      },
      anchor: { selectors: ['#general-card', 'main h1'], position: 'after' },
    },
    bookingPage: {
      urlPattern: '^/bookings/(?<bookingId>[^/?#]+)/?(?:[?#].*)?$',
      fields: {
        id: [{ from: 'url', group: 'bookingId' }],
        unitId: [
          { from: 'selector', selector: '#booking-card a.booking-unit', attribute: 'href', regex: '/units/(?<value>[^/?#]+)' },
          { from: 'label', label: 'Unit ID' },
        ],
        tenantName: [{ from: 'selector', selector: '#booking-card .tenant-name' }],
        tenantEmail: [{ from: 'selector', selector: '#booking-card a.tenant-email', attribute: 'href' }, { from: 'label', label: 'Email' }],
        tenantPhone: [{ from: 'label', label: 'Phone', within: '#booking-card' }],
        moveIn: [{ from: 'label', label: 'Move-in', within: '#booking-card' }],
        moveOut: [{ from: 'label', label: 'Move-out', within: '#booking-card' }],
        state: [{ from: 'selector', selector: '#booking-card .booking-state' }],
      },
      stateLabels: { Active: 'active', Reserved: 'reserved', 'Moved out': 'ended', Cancelled: 'cancelled' },
      anchor: { selectors: ['#booking-card', 'main h1'], position: 'after' },
    },
    list: demoManagerList,
  });
}

/**
 * A starting point for Kinnovis Manager. Its page addresses are not published, so the URL
 * patterns are assumptions the admin checks with "test on this tab"; values are read by the
 * labels its help pages show (the unit's "General" card, the booking's tenant, email, move-in
 * and move-out), which survive markup changes better than class names. It reads the content
 * area only: a navigation bar's link to the unit list is never taken for the booking's unit.
 */
export function kinnovisManagerTemplate(origin: string): SiteProfile {
  return siteProfileSchema.parse({
    id: 'kinnovis-manager',
    name: 'Kinnovis Manager',
    origin,
    dateOrder: 'DMY',
    scope: 'content',
    unitPage: {
      urlPattern: '/units?/(?<unitId>[A-Za-z0-9_-]+)(?:[/?#]|$)',
      fields: {
        id: [{ from: 'url', group: 'unitId' }],
        name: [{ from: 'label', label: 'Name' }, { from: 'label', label: 'Unit name' }, { from: 'label', label: 'Einheit' }, { from: 'selector', selector: 'h1' }],
        location: [{ from: 'label', label: 'Location' }, { from: 'label', label: 'Standort' }],
      },
      anchor: { selectors: ['main h1', 'h1'], position: 'after' },
    },
    bookingPage: {
      urlPattern: '/bookings?/(?<bookingId>[A-Za-z0-9_-]+)(?:[/?#]|$)',
      fields: {
        id: [{ from: 'url', group: 'bookingId' }],
        unitId: [{ from: 'selector', selector: 'a[href*="/unit"]', attribute: 'href', regex: '/units?/(?<value>[A-Za-z0-9_-]+)' }],
        tenantName: [{ from: 'label', label: 'Tenant' }, { from: 'label', label: 'Customer' }, { from: 'label', label: 'Mieter' }],
        tenantEmail: [{ from: 'selector', selector: 'a[href^="mailto:"]', attribute: 'href' }, { from: 'label', label: 'Email' }, { from: 'label', label: 'E-Mail' }],
        tenantPhone: [{ from: 'selector', selector: 'a[href^="tel:"]', attribute: 'href' }, { from: 'label', label: 'Phone' }, { from: 'label', label: 'Telefon' }],
        moveIn: [{ from: 'label', label: 'Move-in' }, { from: 'label', label: 'Move-in date' }, { from: 'label', label: 'Einzug' }],
        moveOut: [{ from: 'label', label: 'Move-out' }, { from: 'label', label: 'Move-out date' }, { from: 'label', label: 'Auszug' }],
      },
      anchor: { selectors: ['main h1', 'h1'], position: 'after' },
    },
    list: kinnovisManagerList,
  });
}
