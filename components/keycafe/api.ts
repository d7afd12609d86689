/**
 * What the Keycafe booking dialog needs from its host. Each surface supplies its own
 * implementation: the extension asks the background through typed messages (the background
 * holds the API token), the widget calls the API with its widget token. The dialog itself
 * never sees a token or a URL.
 */
import type { FieldError, KeycafeBooking, KeycafeBookingInput, KeycafeKey } from '../../lib/contract.ts';

/** An AccessBridge location with a connected Keycafe account ("apply to all keys" needs one). */
export interface KeycafeAccount {
  id: string;
  name: string;
}

export interface KeycafeKeyQuery {
  search: string;
  limit: number;
}

export interface KeycafeBookingQuery {
  keyId?: string;
  recipient?: string;
  limit: number;
}

export interface KeycafeApi {
  /** What this host may do; a widget token may allow booking but not listing bookings. */
  readonly can: { listBookings: boolean; cancel: boolean };
  /**
   * The host is a page whose own scripts could read the dialog (the manager content script):
   * booking codes and check-in links are not sent to it, and the dialog says where to find them.
   */
  readonly codesHidden?: boolean;
  /** Whether this host may cancel that booking (default: every one, when `can.cancel`). */
  mayCancel?(booking: KeycafeBooking): boolean;
  accounts(): Promise<KeycafeAccount[]>;
  searchKeys(query: KeycafeKeyQuery): Promise<{ items: KeycafeKey[]; total: number }>;
  /** `requestKey` makes a repeated submit (retry after a lost answer) return the first booking. */
  createBooking(input: KeycafeBookingInput, requestKey: string): Promise<KeycafeBooking>;
  getBooking(id: string): Promise<KeycafeBooking>;
  listBookings(query: KeycafeBookingQuery): Promise<{ items: KeycafeBooking[]; total: number }>;
  cancelBooking(id: string): Promise<KeycafeBooking>;
  retryBooking(id: string): Promise<KeycafeBooking>;
}

/**
 * A failed call as the dialog shows it: a sentence already in the user's language, the API's
 * field errors (placed beside the fields) and whether trying again may help.
 */
export class KeycafeApiError extends Error {
  constructor(
    message: string,
    readonly fieldErrors: FieldError[] = [],
    readonly retryable = false,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'KeycafeApiError';
  }
}

export function asKeycafeApiError(error: unknown): KeycafeApiError {
  if (error instanceof KeycafeApiError) return error;
  return new KeycafeApiError(error instanceof Error ? error.message : String(error), [], true);
}
