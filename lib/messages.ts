/**
 * The extension's typed message protocol. Pages and content scripts ask the background
 * service worker (the only network caller, the only holder of the API token) to do things;
 * every message is validated with zod and every sender is checked before a handler runs.
 *
 * - Extension pages (options, popup) may send every message.
 * - Content scripts on permitted portal origins may send only `contentScriptTypes`: they run
 *   inside pages we do not control, so they never see the token or the settings.
 * - Anything else (other extensions, web pages, content scripts elsewhere) is refused.
 */
import { z } from 'zod';
import { browser } from 'wxt/browser';
import { languages, type Language } from './i18n/catalog.ts';
import type { Booking, BookingIntakeResult, ErrorCode, FieldError, KeycafeBooking, KeycafeKey, KeycafeTestCall, Location, Lock, Mapping, MappingConflict, Organization, Unit } from './contract.ts';
import { lockIdSchema } from './lock-id.ts';
import { isoDateSchema } from './dates.ts';
import { isSafeLinkUrl } from './safe-url.ts';
import type { ImportReport } from './mapping-file.ts';
import type { PageReading, SiteProfile } from './site-profile/index.ts';
import type { MappingProposal } from './mapping-proposal-schema.ts';
import type { QueueCounts, QueueError, QueueItemState } from './queue.ts';
import { adminMessageSchemas, type AdminResponseMap } from './admin-messages.ts';

// ---------- message schemas ----------

// Schemas are built from `z.…` chains only (no calls on derived schemas at top level), so
// the bundler can drop them from the content script, which sends but never parses.
const httpUrl = () =>
  z
    .string()
    .trim()
    .max(2000)
    .url('Enter a full URL, e.g. https://api.example.com')
    .refine((u) => /^https?:$/.test(new URL(u).protocol), 'Use an http:// or https:// URL');

/** An origin the user adds for the portal; stored normalised (`https://host[:port]`). */
export const originSchema = z.pipe(httpUrl(), z.transform((u: string) => new URL(u).origin));

// The page address is stored with the lock: https only, as the API's contract wants it (lib/safe-url.ts).
const lockOnPageShape = () => ({ title: z.string().trim().max(200), pageUrl: z.string().max(2000).refine(isSafeLinkUrl, 'Only https:// page addresses') });

export const capturedLockSchema = z.object({ id: lockIdSchema, ...lockOnPageShape() });
export type CapturedLock = z.infer<typeof capturedLockSchema>;

const queueItemId = z.string().min(1).max(100);

// ---------- manager pages, site profiles and mapping files ----------
// Handlers: entrypoints/background/{manager,profiles,bulk}.ts. One block, so the extension's
// core messages above and below stay readable on their own.

// Built from `z.…` chains only, like the schemas above (a helper's result is wrapped, as in
// `z.nullable(pageText())`, never chained on): importing lib/site-profile/ or
// lib/mapping-file.ts here would put their schemas and every translation into the portal
// content script. What these leave open (a profile's inner structure, the file's size) the
// handlers check with those modules' schemas before anything else.
const externalIdField = () => z.string().trim().min(1).max(200);
const pageText = () => z.string().min(1).max(200);
// The one date schema (lib/dates.ts, no translations): real calendar dates in a sane year range.
const isoDate = () => isoDateSchema;
const profileId = () => z.string().min(1).max(63);
/** Checked with `siteProfileSchema` by the handler, whose field errors the editor shows. */
const profileDraft = () => z.record(z.string(), z.unknown());

const managerMessageSchemas = {
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

// ---------- Keycafe booking dialog and popup ----------
// Handlers: entrypoints/background/keycafe.ts. The dialog (components/keycafe/) runs in the
// popup and in the manager content script; the booking itself is checked with the contract's
// `keycafeBookingInput` by the handler (importing lib/contract.ts here would put its schemas
// into every content script), whose field errors the dialog places beside its fields.
const keycafeId = () => z.string().uuid();

export const keycafeMessageSchemas = {
  keycafeAccounts: z.object({ type: z.literal('keycafeAccounts') }),
  keycafeKeys: z.object({ type: z.literal('keycafeKeys'), search: z.string().trim().max(200).default(''), limit: z.number().int().min(1).max(1000).default(20) }),
  keycafeBookings: z.object({
    type: z.literal('keycafeBookings'),
    keyId: z.string().trim().min(1).max(100).optional(),
    recipient: z.string().trim().min(1).max(254).optional(),
    limit: z.number().int().min(1).max(100).default(10),
  }),
  keycafeBooking: z.object({ type: z.literal('keycafeBooking'), id: keycafeId() }),
  keycafeBook: z.object({ type: z.literal('keycafeBook'), input: z.record(z.string(), z.unknown()), requestKey: z.string().trim().min(8).max(200) }),
  keycafeCancel: z.object({ type: z.literal('keycafeCancel'), id: keycafeId() }),
  keycafeRetry: z.object({ type: z.literal('keycafeRetry'), id: keycafeId() }),
  /** Popup only: the latest captured locks and Keycafe bookings (also cached for its next opening). */
  popupRecent: z.object({ type: z.literal('popupRecent') }),
  /** Options only: each location's Keycafe account (never its secret). */
  keycafeConnections: z.object({ type: z.literal('keycafeConnections') }),
  /** Options only: "Test connection" with the stored secret or one typed in; `authType` absent = try both. */
  keycafeTestConnection: z.object({
    type: z.literal('keycafeTestConnection'),
    locationId: keycafeId(),
    accountEmail: z.string().trim().email().max(254).optional(),
    secret: z.string().min(1).max(500).optional(),
    authType: z.enum(['token', 'key']).optional(),
  }),
  /** Options only: saves the account email, the credential type and (when typed) the secret. */
  keycafeSaveConnection: z.object({
    type: z.literal('keycafeSaveConnection'),
    locationId: keycafeId(),
    accountEmail: z.string().trim().email().max(254),
    secret: z.string().min(1).max(500).optional(),
    authType: z.enum(['token', 'key']).optional(),
  }),
} as const;

export type KeycafeMessageType = keyof typeof keycafeMessageSchemas;

/** What the booking dialog sends; manager pages open it, so their script may send these too. */
export const keycafeDialogTypes: ReadonlySet<MessageType> = new Set<MessageType>([
  'keycafeAccounts',
  'keycafeKeys',
  'keycafeBookings',
  'keycafeBooking',
  'keycafeBook',
  'keycafeCancel',
  'keycafeRetry',
]);

export interface PopupRecent {
  captures: Lock[];
  bookings: KeycafeBooking[];
  fetchedAt: string;
}

export interface KeycafeResponseMap {
  keycafeAccounts: { items: { id: string; name: string }[] };
  keycafeKeys: { items: KeycafeKey[]; total: number };
  keycafeBookings: { items: KeycafeBooking[]; total: number };
  keycafeBooking: KeycafeBooking;
  keycafeBook: KeycafeBooking;
  keycafeCancel: KeycafeBooking;
  keycafeRetry: KeycafeBooking;
  popupRecent: PopupRecent;
  keycafeConnections: { items: KeycafeConnectionView[] };
  keycafeTestConnection: KeycafeTestView;
  keycafeSaveConnection: KeycafeConnectionView;
}

// ---------- mapping proposal review (admin page) ----------
// Handlers: entrypoints/background/mapping-proposal.ts. Extension pages only. The handler
// checks the API's answers with lib/mapping-proposal-schema.ts (kept out of this file so the
// content scripts stay small, as above).
const proposalCorrections = () => z.array(z.object({ unitId: z.string().uuid(), lockId: z.string().uuid().nullable() })).max(10_000).default([]);

export const mappingProposalMessageSchemas = {
  mappingProposal: z.object({ type: z.literal('mappingProposal'), locationId: z.string().uuid(), corrections: proposalCorrections() }),
  mappingProposalFile: z.object({
    type: z.literal('mappingProposalFile'),
    locationId: z.string().uuid(),
    format: z.enum(['csv', 'xlsx']),
    corrections: proposalCorrections(),
  }),
  applyMappingProposal: z.object({
    type: z.literal('applyMappingProposal'),
    locationId: z.string().uuid(),
    rows: z.array(z.object({ unitId: z.string().uuid(), lockId: z.string().uuid(), replace: z.boolean().default(false) })).min(1).max(10_000),
    dryRun: z.boolean(),
  }),
} as const;

export type MappingProposalMessageType = keyof typeof mappingProposalMessageSchemas;

export interface MappingProposalResponseMap {
  mappingProposal: MappingProposal;
  mappingProposalFile: { fileName: string; contentType: string; base64: string };
  /** `rejected`: applying was refused because rows have errors (nothing was written). */
  applyMappingProposal: { report: ImportReport; rejected: boolean };
}

export interface KeycafeConnectionView {
  locationId: string;
  name: string;
  accountEmail: string | null;
  authType: 'token' | 'key' | null;
  hasSecret: boolean;
}

/** "Test connection" as the options page shows it: each call tried, and what failed. */
export type KeycafeTestView =
  | { ok: true; authType: 'token' | 'key'; keys: number; locations: number; calls: KeycafeTestCall[]; skipped: number }
  | { ok: false; message: string; calls: KeycafeTestCall[] };

export const messageSchemas = {
  ...managerMessageSchemas,
  ...keycafeMessageSchemas,
  ...mappingProposalMessageSchemas,
  // The admin page (lib/admin-messages.ts): extension pages only, as they are in no content script's set.
  ...adminMessageSchemas,
  ping: z.object({ type: z.literal('ping') }),
  status: z.object({ type: z.literal('status'), refresh: z.boolean().default(false) }),
  listUnits: z.object({ type: z.literal('listUnits') }),
  getMappingForLock: z.object({ type: z.literal('getMappingForLock'), lockId: lockIdSchema }),
  saveMapping: z.object({
    type: z.literal('saveMapping'),
    unitExternalId: z.string().trim().min(1).max(200),
    unitName: z.string().max(200).optional(),
    lockId: lockIdSchema,
    replace: z.boolean().default(false),
    /** The lock as seen on the page, recorded before the mapping so the API knows it. */
    lock: z.optional(z.object(lockOnPageShape())),
  }),
  captureLocks: z.object({ type: z.literal('captureLocks'), locks: z.array(capturedLockSchema).min(1).max(1000) }),
  /** Which of the UUIDs a portal URL carries are locks the organization knows (a page is a lock page then). */
  knownLocks: z.object({ type: z.literal('knownLocks'), ids: z.array(lockIdSchema).min(1).max(10) }),
  getSettings: z.object({ type: z.literal('getSettings') }),
  saveSettings: z.object({
    type: z.literal('saveSettings'),
    apiUrl: httpUrl(),
    /** Empty or missing keeps the stored token. */
    token: z.string().trim().max(500).optional(),
  }),
  savePreferences: z.object({
    type: z.literal('savePreferences'),
    /** null: units of every location. */
    locationId: z.string().uuid().nullable().optional(),
    /** null: follow the browser's language. */
    language: z.enum(languages).nullable().optional(),
  }),
  testConnection: z.object({
    type: z.literal('testConnection'),
    /** Unsaved values from the form; missing ones fall back to the stored settings. */
    apiUrl: z.optional(httpUrl()),
    token: z.string().trim().max(500).optional(),
  }),
  listLocations: z.object({ type: z.literal('listLocations') }),
  listQueue: z.object({ type: z.literal('listQueue') }),
  replayQueue: z.object({ type: z.literal('replayQueue') }),
  retryQueueItem: z.object({ type: z.literal('retryQueueItem'), id: queueItemId }),
  discardQueueItem: z.object({ type: z.literal('discardQueueItem'), id: queueItemId }),
  addPortalOrigin: z.object({ type: z.literal('addPortalOrigin'), origin: originSchema }),
  removePortalOrigin: z.object({ type: z.literal('removePortalOrigin'), origin: originSchema }),
} as const;

type Schemas = typeof messageSchemas;
export type MessageType = keyof Schemas;
/** A message as handlers see it (defaults applied). */
type Outputs = { [T in MessageType]: z.output<Schemas[T]> };
type Inputs = { [T in MessageType]: z.input<Schemas[T]> };
export type MessageOf<T extends MessageType> = Outputs[T];
/** A message as senders write it (defaults optional). */
export type MessageInput<T extends MessageType> = Inputs[T];
export type Message = Outputs[MessageType];
export type AnyMessageInput = Inputs[MessageType];

export const messageSchema = z.discriminatedUnion('type', Object.values(messageSchemas) as unknown as [Schemas[MessageType], ...Schemas[MessageType][]]);

/** What content scripts on portal pages may ask for; never settings, token or the queue. */
export const contentScriptTypes: ReadonlySet<MessageType> = new Set<MessageType>([
  'ping',
  'status',
  'listUnits',
  'getMappingForLock',
  'saveMapping',
  'captureLocks',
  'knownLocks',
]);

// ---------- queued operations (stored in the queue, shown in options) ----------

export const queuedOpSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('saveMapping'),
    unitExternalId: z.string(),
    unitName: z.string().optional(),
    lockId: lockIdSchema,
    replace: z.boolean(),
    lock: z.optional(capturedLockSchema),
  }),
  z.object({ kind: z.literal('captureLocks'), locks: z.array(capturedLockSchema) }),
]);
export type QueuedOp = z.infer<typeof queuedOpSchema>;

// ---------- responses ----------

export type ConnectionState = 'not_configured' | 'unknown' | 'connected' | 'unauthorized' | 'unreachable' | 'error';

export interface StatusInfo {
  state: ConnectionState;
  organizationName: string | null;
  checkedAt: string | null;
  /** The last problem, in words, when the state is not `connected`. */
  message: string | null;
  queue: QueueCounts;
  language: Language;
}

export interface SettingsView {
  apiUrl: string;
  hasToken: boolean;
  /** The token's last characters, so a user can tell which one is stored. */
  tokenHint: string | null;
  locationId: string | null;
  /** null: follow the browser's language. */
  language: Language | null;
  effectiveLanguage: Language;
  defaultPortalOrigin: string;
  portalOrigins: string[];
}

export interface ConnectionInfo {
  organization: Organization;
  tokenName: string;
  apiVersion: string;
}

export type SaveResult<T> = ({ status: 'saved' } & T) | { status: 'queued'; queueItemId: string };

export interface QueueItemView {
  id: string;
  op: QueuedOp;
  state: QueueItemState;
  createdAt: string;
  attempts: number;
  lastError: QueueError | null;
}

export interface ResponseMap extends ManagerResponseMap, KeycafeResponseMap, MappingProposalResponseMap, AdminResponseMap {
  ping: { pong: true; version: string };
  status: StatusInfo;
  /** `stale`: the API is unreachable and this is the last list fetched. */
  listUnits: { items: Unit[]; total: number; truncated: boolean; stale: boolean };
  getMappingForLock: { mapping: Mapping | null; stale: boolean; queued: { unitExternalId: string; unitName: string | null } | null };
  saveMapping: SaveResult<{ mapping: Mapping }>;
  captureLocks: SaveResult<{ created: number; updated: number; unchanged: number }>;
  knownLocks: { known: string[] };
  getSettings: SettingsView;
  saveSettings: SettingsView;
  savePreferences: SettingsView;
  testConnection: ConnectionInfo;
  listLocations: { items: Location[] };
  listQueue: { items: QueueItemView[]; counts: QueueCounts };
  replayQueue: { items: QueueItemView[]; counts: QueueCounts };
  retryQueueItem: { items: QueueItemView[]; counts: QueueCounts };
  discardQueueItem: { items: QueueItemView[]; counts: QueueCounts };
  addPortalOrigin: SettingsView;
  removePortalOrigin: SettingsView;
}

export type BridgeErrorKind =
  | 'not_configured'
  | 'unauthorized'
  | 'unreachable'
  | 'timeout'
  /** The URL answers, but not like an AccessBridge API (wrong URL). */
  | 'not_accessbridge'
  | 'invalid_response'
  | 'api'
  | 'forbidden'
  | 'bad_message'
  | 'internal';

/** An error as the UI gets it: enough to explain it and to put messages beside fields. */
export interface BridgeError {
  kind: BridgeErrorKind;
  message: string;
  status?: number;
  code?: ErrorCode;
  fieldErrors: FieldError[];
  /** For a mapping conflict (409): who already has the lock or the unit. */
  conflict?: MappingConflict;
  /** For `unreachable`: whether the extension holds a host permission for the API origin. */
  originPermission?: boolean;
  /** The error body's `details` when it is not a mapping conflict (e.g. Keycafe test calls). */
  details?: unknown;
}

export type Reply<T extends MessageType> = { ok: true; data: ResponseMap[T] } | { ok: false; error: BridgeError };

/** Thrown by `sendMessage` when the background answers with an error. */
export class BridgeRequestError extends Error {
  constructor(readonly error: BridgeError) {
    super(error.message);
    this.name = 'BridgeRequestError';
  }
}

// ---------- sender checks ----------

/** `manager-script`: the manager content script, on a site profile's origin. */
export type SenderKind = 'extension-page' | 'content-script' | 'manager-script';

export interface SenderLike {
  id?: string;
  url?: string;
  origin?: string;
  tab?: { id?: number };
}

export interface SenderPolicy {
  extensionId: string;
  /** e.g. chrome-extension://<id> or moz-extension://<uuid> */
  extensionOrigin: string;
  /** Origins whose pages may host our content scripts (the portal's and user-added ones). */
  contentScriptOrigins: readonly string[];
  /** Origins of the stored site profiles (manager pages). */
  managerOrigins?: readonly string[];
}

/**
 * `scheme://host[:port]` of a URL. Spelled out because `URL.origin` is "null" for schemes
 * a runtime does not know (Node and Firefox say so for chrome-extension:, moz-extension:).
 */
export function originOf(url: string | undefined): string | null {
  if (!url) return null;
  try {
    const u = new URL(url);
    return u.host ? `${u.protocol}//${u.host}` : null;
  } catch {
    return null;
  }
}

/**
 * Who is calling, or null to refuse. `sender.id` is this extension's id for both our pages and
 * our content scripts; other extensions have another id. A page of ours has our origin; a
 * content script runs in a tab whose URL must be on a permitted origin.
 */
export function classifySender(sender: SenderLike, policy: SenderPolicy): SenderKind | null {
  if (!sender.id || sender.id !== policy.extensionId) return null;
  const origin = originOf(sender.url);
  if (!origin) return null;
  if (origin === policy.extensionOrigin) return 'extension-page';
  if (sender.tab && policy.contentScriptOrigins.includes(origin)) return 'content-script';
  if (sender.tab && policy.managerOrigins?.includes(origin)) return 'manager-script';
  return null;
}

export function isAllowed(kind: SenderKind, type: MessageType): boolean {
  if (kind === 'manager-script') return managerScriptTypes.has(type) || keycafeDialogTypes.has(type);
  return kind === 'extension-page' || contentScriptTypes.has(type);
}

// ---------- background router ----------

export interface HandlerContext {
  kind: SenderKind;
  tabId?: number;
  url: string;
}

export type Handlers = { [T in MessageType]: (message: MessageOf<T>, context: HandlerContext) => Promise<ResponseMap[T]> };

export interface RouterOptions {
  handlers: Handlers;
  /** Who may call, asked per message (the manager's origins depend on the sender, see background/manager.ts). */
  policy: (sender: SenderLike) => Promise<SenderPolicy>;
  /** Turns anything a handler throws into the error the UI shows. */
  toError: (error: unknown) => BridgeError;
}

const refusal = (kind: BridgeErrorKind, message: string): { ok: false; error: BridgeError } => ({ ok: false, error: { kind, message, fieldErrors: [] } });

/** Validates sender and message, runs the handler, and always answers with a `Reply`. */
export function createMessageRouter({ handlers, policy, toError }: RouterOptions) {
  return async (raw: unknown, sender: SenderLike): Promise<Reply<MessageType>> => {
    const kind = classifySender(sender, await policy(sender));
    if (!kind) return refusal('forbidden', 'This sender may not talk to AccessBridge.');
    // Refuse a forbidden operation before looking at its body.
    const type = typeof raw === 'object' && raw !== null ? (raw as { type?: unknown }).type : undefined;
    if (typeof type === 'string' && Object.hasOwn(messageSchemas, type) && !isAllowed(kind, type as MessageType))
      return refusal('forbidden', `This page may not ask for "${type}".`);
    const parsed = messageSchema.safeParse(raw);
    if (!parsed.success) {
      return {
        ok: false,
        error: {
          kind: 'bad_message',
          message: 'The message is not valid.',
          fieldErrors: parsed.error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message })),
        },
      };
    }
    const message = parsed.data as Message;
    try {
      const handler = handlers[message.type] as (m: Message, c: HandlerContext) => Promise<ResponseMap[MessageType]>;
      return { ok: true, data: await handler(message, { kind, tabId: sender.tab?.id, url: sender.url! }) };
    } catch (error) {
      return { ok: false, error: toError(error) };
    }
  };
}

/**
 * Hooks a router to `runtime.onMessage`. The `sendResponse` + `return true` form works in
 * Chrome and Firefox alike (Chrome ignores a listener's returned promise).
 */
export function listenForMessages(router: ReturnType<typeof createMessageRouter>) {
  browser.runtime.onMessage.addListener((raw: unknown, sender, sendResponse: (reply: unknown) => void) => {
    router(raw, sender).then(sendResponse, (error: unknown) =>
      sendResponse(refusal('internal', error instanceof Error ? error.message : String(error))),
    );
    return true;
  });
}

// ---------- sending ----------

export type Transport = (message: AnyMessageInput) => Promise<unknown>;

/** Sends one message and resolves with its typed answer (what UI components depend on). */
export type Send = <M extends AnyMessageInput>(message: M) => Promise<ResponseMap[M['type']]>;

/**
 * A `Send` over `transport`: returns the background's typed answer, or throws a
 * `BridgeRequestError`. Content scripts use it too, so it validates nothing itself: the
 * background is the party that must not trust its callers.
 */
export function createSender(transport: Transport): Send {
  return async <M extends AnyMessageInput>(message: M) => {
    let reply: Reply<M['type']> | undefined;
    try {
      reply = (await transport(message)) as Reply<M['type']> | undefined;
    } catch (error) {
      // "Extension context invalidated" after an update, or no background listening yet.
      throw new BridgeRequestError({ kind: 'internal', message: error instanceof Error ? error.message : String(error), fieldErrors: [] });
    }
    if (!reply || typeof reply !== 'object' || !('ok' in reply)) {
      throw new BridgeRequestError({ kind: 'internal', message: 'No answer from the AccessBridge background.', fieldErrors: [] });
    }
    if (!reply.ok) throw new BridgeRequestError(reply.error);
    return reply.data;
  };
}

/** Sends to this extension's background through `runtime.sendMessage`. */
export const sendMessage: Send = createSender((message) => browser.runtime.sendMessage(message));
