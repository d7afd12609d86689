/**
 * The email and booking-state checks of the page readers (./values.ts), without zod: they run
 * in every manager page. They accept and refuse exactly what `emailSchema` and
 * `bookingStateSchema` (lib/contract/common.ts) do, which stay the rule wherever data is
 * received; test/lib/site-profile-page-checks.test.ts holds them to it on a table of inputs.
 */
// zod's own email pattern, alone: the package declares its modules free of side effects, so
// the bundle keeps this one constant and none of zod's schemas.
import { regexes } from 'zod/v4/core';

/**
 * `bookingStateSchema`'s options, as a plain list: importing lib/contract/common.ts would bring
 * its schemas (and zod) into the page; the test holds the two lists equal.
 */
export const bookingStates = ['reserved', 'active', 'ended', 'cancelled'] as const;
export type BookingState = (typeof bookingStates)[number];

/** Longest address `emailSchema` accepts (after trimming). */
const MAX_EMAIL = 254;

/** `emailSchema`'s steps in its order: trim, lower case, zod's own email pattern, length. Null when refused. */
export function checkEmail(text: string): string | null {
  const value = text.trim().toLowerCase();
  return regexes.email.test(value) && value.length <= MAX_EMAIL ? value : null;
}

/** One of the booking states, exactly as written, or null (like `bookingStateSchema`). */
export function checkBookingState(text: string): BookingState | null {
  return (bookingStates as readonly string[]).includes(text) ? (text as BookingState) : null;
}
