/**
 * The page readers' zod-free checks (lib/site-profile/page-checks.ts) accept and refuse exactly
 * what the contract's schemas do, and give the same values.
 */
import { describe, expect, it } from 'vitest';
import { bookingStateSchema, emailSchema } from '../../lib/contract/common.ts';
import { bookingStates, checkBookingState, checkEmail } from '../../lib/site-profile/page-checks.ts';

const emails = [
  'ana@example.com',
  'Ana.Lopez@Example.COM',
  '  padded@example.com  ',
  '\tTab@Example.org\n',
  'first.last+tag@sub.example.co.uk',
  "o'brien@example.ie",
  'under_score-dash@example-host.com',
  'a@b.co',
  'digits123@123example.com',
  // refused
  '',
  '   ',
  'plain',
  '@example.com',
  'ana@',
  'ana@example',
  'ana@example.c',
  'ana@@example.com',
  'ana@exa mple.com',
  'an a@example.com',
  '.ana@example.com',
  'ana.@example.com',
  'ana..lopez@example.com',
  'ana@-example.com',
  'ana@example..com',
  'ana@example.com.',
  'ana@ex_ample.com',
  'ana@example.123',
  'ana@[127.0.0.1]',
  '"quoted"@example.com',
  'ünï@example.com',
  'ana@exämple.com',
  'mailto:ana@example.com',
  'ana@example.com?subject=x',
  'ana@example.com, bob@example.com',
  // length: 254 is the most accepted, after trimming
  `${'a'.repeat(64)}@${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(57)}.com`,
  `${'a'.repeat(64)}@${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(58)}.com`,
  `  ${'a'.repeat(64)}@${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(57)}.com  `,
  `${'a'.repeat(300)}@example.com`,
];

const states = [...bookingStates, 'Active', 'ACTIVE', ' active', 'active ', '', 'canceled', 'pending', 'end', 'reserved\n', 'toString', '__proto__', 'constructor'];

describe('page checks agree with the contract schemas', () => {
  it('the booking state lists are the same', () => {
    expect([...bookingStates]).toEqual(bookingStateSchema.options);
  });

  it('the length edge cases are where the table says', () => {
    expect(emails.at(-4)!.length).toBe(254);
    expect(emails.at(-3)!.length).toBe(255);
  });

  it.each(emails)('email %j', (text) => {
    const parsed = emailSchema.safeParse(text);
    expect(checkEmail(text)).toBe(parsed.success ? parsed.data : null);
  });

  it('accepts and refuses some of each in the table', () => {
    const accepted = emails.filter((e) => checkEmail(e) !== null).length;
    expect(accepted).toBeGreaterThan(5);
    expect(accepted).toBeLessThan(emails.length - 10);
  });

  it.each(states)('state %j', (text) => {
    const parsed = bookingStateSchema.safeParse(text);
    expect(checkBookingState(text)).toBe(parsed.success ? parsed.data : null);
  });
});
