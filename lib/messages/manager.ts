/**
 * Manager pages, site profiles and mapping files: messages and answers. Part of the message
 * protocol (lib/messages.ts).
 */
import { z } from 'zod';
import type { Language } from '../i18n/catalog.ts';
import type { Booking, BookingIntakeResult, Lock, Mapping, Unit } from '../contract.ts';
import type { ImportReport } from '../mapping-file.ts';
import type { PageReading, SiteProfile } from '../site-profile/index.ts';
import { externalIdField, isoDate, pageText, profileDraft, profileId } from './fields.ts';
import type { MessageType } from '../messages.ts';

// Handlers: entrypoints/background/{manager,profiles,bulk}.ts. One block, so the extension's
// core messages above and below stay readable on their own.

export const managerMessageSchemas = {
  // Options page: site profiles.
  listSiteProfiles: z.object({ type: z.literal('listSiteProfiles') }),
  saveSiteProfile: z.object({ type: z.literal('saveSiteProfile'), profile: profileDraft() }),
  removeSiteProfile: z.object({ type: z.literal('removeSiteProfile'), id: profileId() }),
  /** Sent after `permissions.request` succeeded in the options page (the prompt needs its click). */
  grantSiteProfile: z.object({ type: z.literal('grantSiteProfile'), id: profileId() }),
  revokeSiteProfile: z.object({ type: z.literal('revokeSiteProfile'), id: profileId() }),
  /** Runs a (possibly unsaved) profile against an open tab of its origin. */
  previewSiteProfile: z.object({ type: z.literal('previewSiteProfile'), profile: profileDraft(), tabId: z.number().int().nonnegative().optional() }),
  demoManagerOrigin: z.object({ type: z.literal('demoManagerOrigin') }),
  /** A first profile for `origin` guessed from its open tabs; the origin is checked by the handler. */
  guessSiteProfile: z.object({ type: z.literal('guessSiteProfile'), origin: z.string().trim().min(1).max(300), tabId: z.number().int().nonnegative().optional() }),
  // Options page: bulk mapping files.
  exportMappingFile: z.object({ type: z.literal('exportMappingFile'), what: z.enum(['mappings', 'locks']), format: z.enum(['csv', 'xlsx']) }),
  importMappingFile: z.object({
    type: z.literal('importMappingFile'),
    fileName: z.string().max(260),
    /** The file as base64 (runtime messages carry JSON only); its size cap is checked by the handler. */
    base64: z.string().min(1).max(8_000_000).regex(/^[A-Za-z0-9+/]*={0,2}$/, 'Not base64'),
    dryRun: z.boolean(),
    replace: z.boolean().default(false),
  }),
  // Manager content script.
  managerPage: z.object({ type: z.literal('managerPage') }),
  upsertUnit: z.object({
    type: z.literal('upsertUnit'),
    unit: z.object({ externalId: pageText(), name: pageText(), location: z.nullable(pageText()) }),
  }),
  unitMapping: z.object({ type: z.literal('unitMapping'), unitExternalId: externalIdField() }),
  /** With the unit: only locks of its location (a lock of another location cannot be mapped). */
  listLocks: z.object({ type: z.literal('listLocks'), unitExternalId: externalIdField().optional() }),
  unmapUnit: z.object({ type: z.literal('unmapUnit'), unitExternalId: externalIdField() }),
  /** A booking as the page shows it (`BookingPageData`). */
  pushBooking: z.object({
    type: z.literal('pushBooking'),
    booking: z.object({
      externalId: pageText(),
      unitExternalId: pageText(),
      tenantName: z.nullable(pageText()),
      tenantEmail: z.string().trim().toLowerCase().email().max(254).nullable(),
      tenantPhone: z.string().max(40).nullable(),
      moveIn: isoDate(),
      moveOut: z.nullable(isoDate()),
      state: z.enum(['reserved', 'active', 'ended', 'cancelled']).nullable(),
    }),
  }),
  /** Every booking read from a manager list page ("Capture all bookings on this page"). */
  captureBookings: z.object({
    type: z.literal('captureBookings'),
    bookings: z
      .array(
        z.object({
          externalId: pageText(),
          unitExternalId: pageText(),
          tenantEmail: z.string().trim().toLowerCase().email().max(254).nullable(),
          tenantPhone: z.string().max(40).nullable(),
          moveIn: isoDate(),
          moveOut: z.nullable(isoDate()),
          state: z.enum(['reserved', 'active', 'ended', 'cancelled']).nullable(),
        }),
      )
      .min(1)
      .max(2000),
  }),
  /** Re-reads a pushed booking's access (while a grant or revocation is under way). */
  bookingAccess: z.object({ type: z.literal('bookingAccess'), externalId: externalIdField() }),
  revokeBookingAccess: z.object({ type: z.literal('revokeBookingAccess'), externalId: externalIdField() }),
  restoreBookingAccess: z.object({ type: z.literal('restoreBookingAccess'), externalId: externalIdField() }),
  setBookingSync: z.object({ type: z.literal('setBookingSync'), externalId: externalIdField(), syncEnabled: z.boolean() }),
} as const;

export type ManagerMessageType = keyof typeof managerMessageSchemas;

/** What the manager content script (on a granted site profile's origin) may ask for. */
export const managerScriptTypes: ReadonlySet<MessageType> = new Set<MessageType>([
  'ping',
  'status',
  'managerPage',
  'upsertUnit',
  'unitMapping',
  'listLocks',
  'saveMapping',
  'unmapUnit',
  'pushBooking',
  'captureBookings',
  'bookingAccess',
  'revokeBookingAccess',
  'restoreBookingAccess',
  'setBookingSync',
]);

export interface SiteProfileView {
  profile: SiteProfile;
  /** The host permission asked for: scheme and host, any port (`originMatchPattern`). */
  pattern: string;
  /** Switched on by the user's "Grant access to this site" (and not withdrawn since). */
  active: boolean;
  granted: boolean;
  /** The manager content script is registered for the pattern. */
  registered: boolean;
}

export interface SiteProfilesView {
  profiles: SiteProfileView[];
  /** Stored profiles that no longer validate (dropped; shown so nothing vanishes silently). */
  invalid: number;
}

export interface PreviewTab {
  id: number;
  title: string;
  url: string;
}

export type PreviewResult =
  | { status: 'no_permission'; pattern: string }
  | { status: 'no_tab'; origin: string }
  | { status: 'read'; tabs: PreviewTab[]; tab: PreviewTab; reading: PageReading | null };

/** A profile guessed from a manager's open tabs, with the preview of one of them. */
export type GuessResult =
  | Exclude<PreviewResult, { status: 'read' }>
  | { status: 'guessed'; profile: SiteProfile; pages: { tab: PreviewTab; kind: 'unit' | 'booking' | null }[]; preview: Extract<PreviewResult, { status: 'read' }> };

/** A lock to choose on a unit page, with the unit it is mapped to now. */
export interface LockChoice {
  id: string;
  title: string;
  source: Lock['source'];
  mappedTo: { externalId: string; name: string } | null;
}

export interface ManagerResponseMap {
  listSiteProfiles: SiteProfilesView;
  saveSiteProfile: SiteProfilesView;
  removeSiteProfile: SiteProfilesView;
  grantSiteProfile: SiteProfilesView;
  revokeSiteProfile: SiteProfilesView;
  previewSiteProfile: PreviewResult;
  demoManagerOrigin: { origin: string | null };
  guessSiteProfile: GuessResult;
  exportMappingFile: { fileName: string; contentType: string; base64: string };
  /** `rejected`: applying was refused because rows have errors (nothing was written). */
  importMappingFile: { report: ImportReport; rejected: boolean };
  managerPage: { profiles: SiteProfile[]; language: Language };
  upsertUnit: { unit: Unit };
  unitMapping: { mapping: Mapping | null };
  listLocks: { items: LockChoice[]; total: number; truncated: boolean };
  unmapUnit: { removed: boolean };
  pushBooking: { booking: Booking };
  captureBookings: { result: BookingIntakeResult };
  bookingAccess: { booking: Booking };
  revokeBookingAccess: { booking: Booking };
  restoreBookingAccess: { booking: Booking };
  setBookingSync: { booking: Booking };
}
