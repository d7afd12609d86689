/**
 * Identifiers people read and compare by eye (unit IDs, unit names, booking IDs): normalised to
 * NFKC (full-width `Ｕ１` is `U1`, a no-break space a space) and refused when they hold
 * characters that show nothing or reorder what is shown — zero-width and other format
 * characters, bidi overrides and isolates, control characters, fillers. Otherwise `U1000` and
 * `U1000` + U+200B are two units nobody can tell apart. Look-alikes from other scripts
 * (Cyrillic `О` in `U1О00`) are legitimate text, so `skeleton` lets callers warn about them.
 */
import { z } from 'zod';

// \p{Cc} controls, \p{Cf} format characters (U+200B–U+200F, U+202A–U+202E, U+2060–U+2069,
// U+FEFF, U+00AD, U+061C …), line/paragraph separators, and characters that render as nothing:
// Hangul fillers, the combining grapheme joiner, Khmer inherent vowels, Mongolian and other
// variation selectors.
const invisible = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\u115F\u1160\u3164\uFFA0\u034F\u17B4\u17B5\u180B-\u180F\uFE00-\uFE0F\u{E0100}-\u{E01EF}]/u;

const codePoint = (ch: string) => `U+${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;

/** Why `text` (already NFKC) cannot be an identifier, or null. */
export function identifierProblem(text: string): string | null {
  const m = invisible.exec(text);
  return m ? `Contains an invisible or text-direction character (${codePoint(m[0])}); remove it` : null;
}

export const normalizeIdentifier = (text: string) => text.normalize('NFKC').trim();

/** A required identifier of at most `max` characters, NFKC-normalised and trimmed. */
export const identifierSchema = (max: number) =>
  z
    .string()
    .overwrite(normalizeIdentifier)
    .min(1, 'Required')
    .max(max, `At most ${max} characters`)
    .superRefine((value, ctx) => {
      const problem = identifierProblem(value);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    });

// Letters of other scripts that look like Latin ones, and digits that look like letters.
const lookAlikes: Record<string, string> = {
  а: 'a', в: 'b', е: 'e', ё: 'e', к: 'k', м: 'm', н: 'h', о: 'o', р: 'p', с: 'c', т: 't', у: 'y', х: 'x', ѕ: 's', і: 'l', ї: 'l', ј: 'j', ԁ: 'd', ԛ: 'q', ԝ: 'w', һ: 'h', ӏ: 'l',
  α: 'a', β: 'b', ε: 'e', η: 'n', ι: 'l', κ: 'k', ν: 'v', ο: 'o', ρ: 'p', τ: 't', υ: 'u', χ: 'x', ζ: 'z', μ: 'u',
  '0': 'o', '1': 'l', i: 'l', '5': 's', '8': 'b', '|': 'l', '–': '-', '—': '-', '‐': '-', '‑': '-', '−': '-', '‒': '-',
};

/**
 * What a text looks like: NFKC, lower case, accents dropped, look-alike letters and digits
 * folded to one Latin letter, spaces collapsed. Two different texts with the same skeleton are
 * easy to confuse (`U1000`, `U1О00`, `u1ooo`).
 */
export function skeleton(text: string): string {
  const base = text.normalize('NFKC').toLowerCase().normalize('NFD').replace(/\p{M}/gu, '');
  let out = '';
  for (const ch of base) out += lookAlikes[ch] ?? ch;
  return out.replace(/\s+/g, ' ').trim();
}
