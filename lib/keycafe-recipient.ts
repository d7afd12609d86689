/**
 * A Keycafe visitor: an email address or a mobile number that can receive SMS. Mobile numbers
 * are validated and normalised with libphonenumber-js (full metadata, so landlines are told
 * apart); the result is E.164 for us and "digits with country code" for Keycafe's API.
 * Pure: the booking form runs the same check before sending.
 */
import { parsePhoneNumberWithError, ParseError, isSupportedCountry, type CountryCode } from 'libphonenumber-js/max';
import { z } from 'zod';

export type RecipientMessageKey =
  | 'keycafe.recipient.required'
  | 'keycafe.email.invalid'
  | 'keycafe.mobile.noCountryCode'
  | 'keycafe.mobile.invalid'
  | 'keycafe.mobile.invalidForCountry'
  | 'keycafe.mobile.unknownCountry'
  | 'keycafe.mobile.landline'
  | 'keycafe.mobile.extension';

export type RecipientInputShape = { email?: string | null; mobile?: string | null; country?: string | null };

export type NormalisedRecipient =
  | { ok: true; email: string; mobile: null; keycafeUser: { email: string } }
  | { ok: true; email: null; mobile: string; keycafeUser: { mobile: string } }
  | { ok: false; path: 'recipient' | 'recipient.email' | 'recipient.mobile' | 'recipient.country'; key: RecipientMessageKey; params?: Record<string, string> };

const emailCheck = z.string().email();

// Types that cannot receive the SMS with the booking code.
const noSms = new Set(['FIXED_LINE', 'TOLL_FREE', 'PREMIUM_RATE', 'SHARED_COST', 'VOICEMAIL', 'UAN', 'PAGER']);

export function normaliseRecipient(input: RecipientInputShape): NormalisedRecipient {
  const email = input.email?.trim();
  const mobile = input.mobile?.trim();
  if (email) {
    const lower = email.toLowerCase();
    if (!emailCheck.safeParse(lower).success) return { ok: false, path: 'recipient.email', key: 'keycafe.email.invalid' };
    return { ok: true, email: lower, mobile: null, keycafeUser: { email: lower } };
  }
  if (!mobile) return { ok: false, path: 'recipient', key: 'keycafe.recipient.required' };

  let country: CountryCode | undefined;
  if (input.country) {
    const upper = input.country.trim().toUpperCase();
    if (!isSupportedCountry(upper)) return { ok: false, path: 'recipient.country', key: 'keycafe.mobile.unknownCountry', params: { country: upper } };
    country = upper;
  }
  // "0049 151 …" is the international form too; without a + or 00 the number is national.
  const text = mobile.replace(/^00(?=[1-9])/, '+');
  let parsed;
  try {
    parsed = parsePhoneNumberWithError(text, country);
  } catch (err) {
    if (err instanceof ParseError && err.message === 'INVALID_COUNTRY') return { ok: false, path: 'recipient.mobile', key: 'keycafe.mobile.noCountryCode' };
    return { ok: false, path: 'recipient.mobile', key: 'keycafe.mobile.invalid' };
  }
  if (!parsed.isValid())
    return country
      ? { ok: false, path: 'recipient.mobile', key: 'keycafe.mobile.invalidForCountry', params: { country } }
      : { ok: false, path: 'recipient.mobile', key: 'keycafe.mobile.invalid' };
  if (parsed.ext) return { ok: false, path: 'recipient.mobile', key: 'keycafe.mobile.extension' };
  const type = parsed.getType();
  if (type && noSms.has(type)) return { ok: false, path: 'recipient.mobile', key: 'keycafe.mobile.landline' };
  return { ok: true, email: null, mobile: parsed.number, keycafeUser: { mobile: parsed.number.slice(1) } };
}
