/**
 * The tenant's phone number on a booking: shown to the manager, never texted by us (Keycafe
 * recipients are checked strictly, for SMS, in lib/keycafe-recipient.ts). So it must be a phone
 * number, not free text: digits with the usual separators, and when it has a country code
 * (`+` or `00`) libphonenumber-js must find it possible for that country (length, country code)
 * and it has no extension. A national number cannot be checked further without its country.
 * Minimal metadata: the possible-length check needs no more, and this runs in every bundle.
 */
import { parsePhoneNumberWithError } from 'libphonenumber-js/min';
import { z } from 'zod';

export function tenantPhoneProblem(text: string): string | null {
  if (!/^\+?[\d\s()./-]+$/.test(text)) return 'Not a phone number: use digits, spaces and + ( ) . / - only';
  const digits = text.replace(/\D/g, '').length;
  if (digits < 4 || digits > 15) return 'Not a phone number: it needs 4 to 15 digits';
  const international = text.replace(/^00(?=[1-9])/, '+');
  if (!international.startsWith('+')) return null;
  try {
    const parsed = parsePhoneNumberWithError(international);
    if (!parsed.isPossible()) return 'Not a possible phone number for its country code';
  } catch {
    return 'Not a phone number with a known country code';
  }
  return null;
}

export const tenantPhoneSchema = z
  .string()
  .trim()
  .max(40, 'At most 40 characters')
  .superRefine((value, ctx) => {
    const problem = value === '' ? null : tenantPhoneProblem(value);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });
