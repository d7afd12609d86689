/**
 * The sending side of the message protocol, for pages and content scripts: errors, replies and
 * `sendMessage`. No schema and no zod: the declarations (lib/messages.ts) are imported as types
 * only, so a content script that sends messages ships none of them. The background validates
 * every message it receives (the router in lib/messages.ts).
 */
import { browser } from 'wxt/browser';
import type { ErrorCode, FieldError, MappingConflict } from '../contract.ts';
import type { AnyMessageInput, MessageType, ResponseMap } from '../messages.ts';

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
