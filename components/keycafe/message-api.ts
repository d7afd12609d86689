/**
 * The booking dialog's API inside the extension (popup, manager pages): typed messages to the
 * background, which holds the token and calls the sync API. Failures become KeycafeApiErrors
 * with the sentence the extension shows everywhere (describeError) and the API's field errors.
 */
import type { KeycafeBookingInput } from '../../lib/contract.ts';
import type { Send } from '../../lib/messages.ts';
import { bridgeErrorOf, describeError } from '../describe-error.ts';
import type { Translate } from '../ui-context.ts';
import { KeycafeApiError, type KeycafeApi } from './api.ts';

function toKeycafeError(t: Translate, error: unknown): KeycafeApiError {
  const e = bridgeErrorOf(error);
  const retryable = e.kind === 'unreachable' || e.kind === 'timeout' || e.kind === 'internal' || e.status === 429 || (e.status ?? 0) >= 500;
  // Field errors speak for themselves beside the fields; the API's own sentence goes on top.
  const message = e.fieldErrors.length && (e.kind === 'api' || e.kind === 'bad_message') ? e.message : describeError(t, error);
  return new KeycafeApiError(message, e.fieldErrors, retryable, e.status);
}

export function createMessageKeycafeApi(send: Send, t: Translate, opts: { codesHidden?: boolean } = {}): KeycafeApi {
  const call = async <T>(run: () => Promise<T>): Promise<T> => {
    try {
      return await run();
    } catch (error) {
      throw toKeycafeError(t, error);
    }
  };
  return {
    // The extension works with the organization's API token: it may do everything.
    can: { listBookings: true, cancel: true },
    codesHidden: opts.codesHidden ?? false,
    accounts: () => call(async () => (await send({ type: 'keycafeAccounts' })).items),
    searchKeys: ({ search, limit }) => call(() => send({ type: 'keycafeKeys', search, limit })),
    createBooking: (input: KeycafeBookingInput, requestKey: string) =>
      call(() => send({ type: 'keycafeBook', input: input as unknown as Record<string, unknown>, requestKey })),
    getBooking: (id) => call(() => send({ type: 'keycafeBooking', id })),
    listBookings: ({ keyId, recipient, limit }) => call(() => send({ type: 'keycafeBookings', limit, ...(keyId ? { keyId } : {}), ...(recipient ? { recipient } : {}) })),
    cancelBooking: (id) => call(() => send({ type: 'keycafeCancel', id })),
    retryBooking: (id) => call(() => send({ type: 'keycafeRetry', id })),
  };
}
