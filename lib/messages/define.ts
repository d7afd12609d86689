/**
 * How one message is declared, once: its request schema, the type of its answer, and which
 * senders besides our own extension pages (which may send every message) may send it. The
 * router (lib/messages.ts) derives its schema table, its allow-lists and its typed handlers
 * from these declarations; nothing else lists a message.
 */
import type { z } from 'zod';

/** `manager-script`: the manager content script, on a granted site profile's origin. */
export type SenderKind = 'extension-page' | 'content-script' | 'manager-script';

/** Senders other than extension pages: the content scripts, each on its own origins. */
export type ScriptSender = Exclude<SenderKind, 'extension-page'>;

export interface MessageDef<S extends z.ZodType = z.ZodType, R = unknown> {
  request: S;
  /** Type only: what the handler answers (never set at run time). */
  response: R;
  /** The content scripts that may send it; extension pages always may. */
  senders: readonly ScriptSender[];
}

/**
 * One message: `message<Answer>()(schema, senders)`. Curried so the answer type is written
 * and the schema's type is inferred.
 */
export const message =
  <R>() =>
  <S extends z.ZodType>(request: S, senders: readonly ScriptSender[] = []): MessageDef<S, R> => ({ request, senders, response: undefined as R });

export type MessageDefs = Record<string, MessageDef>;

/** The portal content script (and extension pages). */
export const PORTAL: readonly ScriptSender[] = ['content-script'];
/** The manager content script (and extension pages). */
export const MANAGER: readonly ScriptSender[] = ['manager-script'];
/** Both content scripts (and extension pages). */
export const BOTH_SCRIPTS: readonly ScriptSender[] = ['content-script', 'manager-script'];
