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
import { MANAGER, message } from './define.ts';

// Handlers: entrypoints/background/{manager,profiles,bulk}.ts. One block, so the extension's
// core messages above and below stay readable on their own.

export const managerMessages = {
  // Options page: site profiles.
  listSiteProfiles: message<SiteProfilesView>()(z.object({ type: z.literal('listSiteProfiles') })),
  saveSiteProfile: message<SiteProfilesView>()(z.object({ type: z.literal('saveSiteProfile'), profile: profileDraft() })),
  removeSiteProfile: message<SiteProfilesView>()(z.object({ type: z.literal('removeSiteProfile'), id: profileId() })),
  /** Sent after `permissions.request` succeeded in the options page (the prompt needs its click). */
  grantSiteProfile: message<SiteProfilesView>()(z.object({ type: z.literal('grantSiteProfile'), id: profileId() })),
  revokeSiteProfile: message<SiteProfilesView>()(z.object({ type: z.literal('revokeSiteProfile'), id: profileId() })),
  /** Runs a (possibly unsaved) profile against an open tab of its origin. */
  previewSiteProfile: message<PreviewResult>()(z.object({ type: z.literal('previewSiteProfile'), profile: profileDraft(), tabId: z.number().int().nonnegative().optional() })),
  demoManagerOrigin: message<{ origin: string | null }>()(z.object({ type: z.literal('demoManagerOrigin') })),
  /** A first profile for `origin` guessed from its open tabs; the origin is checked by the handler. */
  guessSiteProfile: message<GuessResult>()(z.object({ type: z.literal('guessSiteProfile'), origin: z.string().trim().min(1).max(300), tabId: z.number().int().nonnegative().optional() })),
  // Options page: bulk mapping files.
  exportMappingFile: message<{ fileName: string; contentType: string; base64: string }>()(z.object({ type: z.literal('exportMappingFile'), what: z.enum(['mappings', 'locks']), format: z.enum(['csv', 'xlsx']) })),
  importMappingFile: message<{ report: ImportReport; rejected: boolean }>()(z.object({
    type: z.literal('importMappingFile'),
    fileName: z.string().max(260),
    /** The file as base64 (runtime messages carry JSON only); its size cap is checked by the handler. */
    base64: z.string().min(1).max(8_000_000).regex(/^[A-Za-z0-9+/]*={0,2}$/, 'Not base64'),
    dryRun: z.boolean(),
    replace: z.boolean().default(false),
  })),
  // Manager content script.
  /** The profiles, and the strings of the user's language only (lib/i18n/manager-strings.ts). */
  managerPage: message<{ profiles: SiteProfile[]; language: Language; strings: Record<string, string> }>()(z.object({ type: z.literal('managerPage') }), MANAGER),
  /**
   * On first use of a dialog: the background injects its code (entrypoints/manager-dialogs.ts)
   * into the sender's frame, in the content script's isolated world.
   */
  managerDialogs: message<{ injected: true }>()(z.object({ type: z.literal('managerDialogs') }), MANAGER),
  upsertUnit: message<{ unit: Unit }>()(z.object({
    type: z.literal('upsertUnit'),
    unit: z.object({ externalId: pageText(), name: pageText(), location: z.nullable(pageText()) }),
  }), MANAGER),
  unitMapping: message<{ mapping: Mapping | null }>()(z.object({ type: z.literal('unitMapping'), unitExternalId: externalIdField() }), MANAGER),
  /** With the unit: only locks of its location (a lock of another location cannot be mapped). */
  listLocks: message<{ items: LockChoice[]; total: number; truncated: boolean }>()(z.object({ type: z.literal('listLocks'), unitExternalId: externalIdField().optional() }), MANAGER),
  unmapUnit: message<{ removed: boolean }>()(z.object({ type: z.literal('unmapUnit'), unitExternalId: externalIdField() }), MANAGER),
  /** A booking as the page shows it (`BookingPageData`). */
  pushBooking: message<{ booking: Booking }>()(z.object({
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
  }), MANAGER),
  /** Every booking read from a manager list page ("Capture all bookings on this page"). */
  captureBookings: message<{ result: BookingIntakeResult }>()(z.object({
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
  }), MANAGER),
  /** Re-reads a pushed booking's access (while a grant or revocation is under way). */
  bookingAccess: message<{ booking: Booking }>()(z.object({ type: z.literal('bookingAccess'), externalId: externalIdField() }), MANAGER),
  revokeBookingAccess: message<{ booking: Booking }>()(z.object({ type: z.literal('revokeBookingAccess'), externalId: externalIdField() }), MANAGER),
  restoreBookingAccess: message<{ booking: Booking }>()(z.object({ type: z.literal('restoreBookingAccess'), externalId: externalIdField() }), MANAGER),
  setBookingSync: message<{ booking: Booking }>()(z.object({ type: z.literal('setBookingSync'), externalId: externalIdField(), syncEnabled: z.boolean() }), MANAGER),
} as const;

export type ManagerMessageType = keyof typeof managerMessages;


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

