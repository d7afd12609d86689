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
import type { ErrorCode, FieldError, Location, Mapping, MappingConflict, Organization, Unit } from './contract.ts';
import { lockIdSchema } from './lock-id.ts';
import type { QueueCounts, QueueError, QueueItemState } from './queue.ts';
import { adminMessageSchemas, type AdminResponseMap } from './admin-messages.ts';
import { capturedLockSchema, httpUrl, lockOnPageShape, originSchema, queueItemId } from './messages/fields.ts';
import { managerMessageSchemas, managerScriptTypes, type ManagerResponseMap } from './messages/manager.ts';
import { keycafeDialogTypes, keycafeMessageSchemas, type KeycafeResponseMap } from './messages/keycafe.ts';
import { mappingProposalMessageSchemas, type MappingProposalResponseMap } from './messages/mapping-proposal.ts';

export * from './messages/fields.ts';
export * from './messages/manager.ts';
export * from './messages/keycafe.ts';
export * from './messages/mapping-proposal.ts';

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
