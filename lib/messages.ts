/**
 * The extension's typed message protocol. Pages and content scripts ask the background
 * service worker (the only network caller, the only holder of the API token) to do things;
 * every message is validated with zod and every sender is checked before a handler runs.
 *
 * - Extension pages (options, popup) may send every message.
 * - Content scripts may send only the messages whose declaration lists them as senders
 *   (lib/messages/define.ts): they run inside pages we do not control, so they never see the
 *   token or the settings.
 * - Anything else (other extensions, web pages, content scripts elsewhere) is refused.
 *
 * Each message is declared once, with its request schema, its answer's type and its senders:
 * the core ones below, the others in lib/messages/<feature>.ts and lib/admin-messages.ts.
 * Pages and content scripts send with lib/messages/send.ts, which imports this module's types
 * only, so none of these schemas reaches a page.
 */
import { z } from 'zod';
import { browser } from 'wxt/browser';
import { languages, type Language } from './i18n/catalog.ts';
import type { Location, Mapping, Organization, Unit } from './contract.ts';
import { lockIdSchema } from './lock-id.ts';
import type { QueueCounts, QueueError, QueueItemState } from './queue.ts';
import { adminMessages } from './admin-messages.ts';
import { BOTH_SCRIPTS, message, PORTAL, type MessageDef, type ScriptSender, type SenderKind } from './messages/define.ts';
import { capturedLockSchema, httpUrl, lockOnPageShape, originSchema, queueItemId } from './messages/fields.ts';
import { managerMessages } from './messages/manager.ts';
import { keycafeMessages } from './messages/keycafe.ts';
import { mappingProposalMessages } from './messages/mapping-proposal.ts';
import { portalMessages } from './messages/portal.ts';
import type { BridgeError, BridgeErrorKind, Reply } from './messages/send.ts';

export * from './messages/define.ts';
export * from './messages/fields.ts';
export * from './messages/manager.ts';
export * from './messages/keycafe.ts';
export * from './messages/mapping-proposal.ts';
export * from './messages/portal.ts';
export * from './messages/send.ts';

const coreMessages = {
  ping: message<{ pong: true; version: string }>()(z.object({ type: z.literal('ping') }), BOTH_SCRIPTS),
  status: message<StatusInfo>()(z.object({ type: z.literal('status'), refresh: z.boolean().default(false) }), BOTH_SCRIPTS),
  /** `stale`: the API is unreachable and this is the last list fetched. */
  listUnits: message<{ items: Unit[]; total: number; truncated: boolean; stale: boolean }>()(z.object({ type: z.literal('listUnits') }), PORTAL),
  getMappingForLock: message<{ mapping: Mapping | null; stale: boolean; queued: { unitExternalId: string; unitName: string | null } | null }>()(
    z.object({ type: z.literal('getMappingForLock'), lockId: lockIdSchema }),
    PORTAL,
  ),
  saveMapping: message<SaveResult<{ mapping: Mapping }>>()(
    z.object({
      type: z.literal('saveMapping'),
      unitExternalId: z.string().trim().min(1).max(200),
      unitName: z.string().max(200).optional(),
      lockId: lockIdSchema,
      replace: z.boolean().default(false),
      /** The lock as seen on the page, recorded before the mapping so the API knows it. */
      lock: z.optional(z.object(lockOnPageShape())),
    }),
    BOTH_SCRIPTS,
  ),
  captureLocks: message<SaveResult<{ created: number; updated: number; unchanged: number }>>()(
    z.object({ type: z.literal('captureLocks'), locks: z.array(capturedLockSchema).min(1).max(1000) }),
    PORTAL,
  ),
  /** Which of the UUIDs a portal URL carries are locks the organization knows (a page is a lock page then). */
  knownLocks: message<{ known: string[] }>()(z.object({ type: z.literal('knownLocks'), ids: z.array(lockIdSchema).min(1).max(10) }), PORTAL),
  getSettings: message<SettingsView>()(z.object({ type: z.literal('getSettings') })),
  saveSettings: message<SettingsView>()(
    z.object({
      type: z.literal('saveSettings'),
      apiUrl: httpUrl(),
      /** Empty or missing keeps the stored token. */
      token: z.string().trim().max(500).optional(),
    }),
  ),
  savePreferences: message<SettingsView>()(
    z.object({
      type: z.literal('savePreferences'),
      /** null: units of every location. */
      locationId: z.string().uuid().nullable().optional(),
      /** null: follow the browser's language. */
      language: z.enum(languages).nullable().optional(),
    }),
  ),
  testConnection: message<ConnectionInfo>()(
    z.object({
      type: z.literal('testConnection'),
      /** Unsaved values from the form; missing ones fall back to the stored settings. */
      apiUrl: z.optional(httpUrl()),
      token: z.string().trim().max(500).optional(),
    }),
  ),
  listLocations: message<{ items: Location[] }>()(z.object({ type: z.literal('listLocations') })),
  listQueue: message<QueueView>()(z.object({ type: z.literal('listQueue') })),
  replayQueue: message<QueueView>()(z.object({ type: z.literal('replayQueue') })),
  retryQueueItem: message<QueueView>()(z.object({ type: z.literal('retryQueueItem'), id: queueItemId })),
  discardQueueItem: message<QueueView>()(z.object({ type: z.literal('discardQueueItem'), id: queueItemId })),
  addPortalOrigin: message<SettingsView>()(z.object({ type: z.literal('addPortalOrigin'), origin: originSchema })),
  removePortalOrigin: message<SettingsView>()(z.object({ type: z.literal('removePortalOrigin'), origin: originSchema })),
} as const;

/** Every message of the protocol. */
export const messages = {
  ...managerMessages,
  ...keycafeMessages,
  ...mappingProposalMessages,
  ...portalMessages,
  // The admin page (lib/admin-messages.ts): extension pages only (they list no other sender).
  ...adminMessages,
  ...coreMessages,
} as const;

type Defs = typeof messages;
export type MessageType = keyof Defs;
type Schemas = { [T in MessageType]: Defs[T]['request'] };
/** A message as handlers see it (defaults applied). */
type Outputs = { [T in MessageType]: z.output<Schemas[T]> };
type Inputs = { [T in MessageType]: z.input<Schemas[T]> };
export type MessageOf<T extends MessageType> = Outputs[T];
/** A message as senders write it (defaults optional). */
export type MessageInput<T extends MessageType> = Inputs[T];
export type Message = Outputs[MessageType];
export type AnyMessageInput = Inputs[MessageType];
/** What each message's handler answers. */
export type ResponseMap = { [T in MessageType]: Defs[T]['response'] };

const entries = Object.entries(messages) as [MessageType, MessageDef][];

/** Each message's request schema, by type. */
export const messageSchemas = Object.fromEntries(entries.map(([type, def]) => [type, def.request])) as Schemas;

export const messageSchema = z.discriminatedUnion('type', Object.values(messageSchemas) as unknown as [Schemas[MessageType], ...Schemas[MessageType][]]);

const sentBy = (sender: ScriptSender, only?: Record<string, unknown>): ReadonlySet<MessageType> =>
  new Set(entries.filter(([type, def]) => def.senders.includes(sender) && (!only || Object.hasOwn(only, type))).map(([type]) => type));

/** What content scripts on portal pages may ask for; never settings, token or the queue. */
export const contentScriptTypes = sentBy('content-script');
/** What the manager content script (on a granted site profile's origin) may ask for, but the Keycafe dialog's. */
export const managerScriptTypes: ReadonlySet<MessageType> = new Set([...sentBy('manager-script')].filter((t) => !Object.hasOwn(keycafeMessages, t)));
/** What the Keycafe booking dialog sends; manager pages open it, so their script may send these too. */
export const keycafeDialogTypes = sentBy('manager-script', keycafeMessages);

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

export interface QueueView {
  items: QueueItemView[];
  counts: QueueCounts;
}

// ---------- sender checks ----------

export interface SenderLike {
  id?: string;
  url?: string;
  origin?: string;
  tab?: { id?: number };
  frameId?: number;
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

/** Whether `kind` may send `type`: extension pages every message, a content script those declaring it. */
export function isAllowed(kind: SenderKind, type: MessageType): boolean {
  return kind === 'extension-page' || messages[type].senders.includes(kind);
}

// ---------- background router ----------

export interface HandlerContext {
  kind: SenderKind;
  tabId?: number;
  /** The sender's frame in its tab (a content script's). */
  frameId?: number;
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
    if (typeof type === 'string' && Object.hasOwn(messages, type) && !isAllowed(kind, type as MessageType))
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
      return { ok: true, data: await handler(message, { kind, tabId: sender.tab?.id, frameId: sender.frameId, url: sender.url! }) };
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
