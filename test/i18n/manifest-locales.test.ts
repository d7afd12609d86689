import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { languages } from '../../lib/i18n/index.ts';

const root = resolve(import.meta.dirname, '../../public/_locales');
const read = (lang: string) => JSON.parse(readFileSync(join(root, lang, 'messages.json'), 'utf8')) as Record<string, { message: string }>;

describe('manifest locales (public/_locales)', () => {
  it('has a messages.json for exactly the supported languages', () => {
    expect(readdirSync(root).sort()).toEqual([...languages].sort());
  });

  it.each(languages.filter((l) => l !== 'en'))('%s has the same keys as en, each with a non-empty message', (lang) => {
    const en = read('en');
    const other = read(lang);
    expect(Object.keys(other).sort()).toEqual(Object.keys(en).sort());
    for (const [key, value] of Object.entries(other)) expect(value.message.trim(), `${lang}: ${key}`).not.toBe('');
  });

  it('defines every __MSG_…__ placeholder used in wxt.config.ts', () => {
    const config = readFileSync(resolve(import.meta.dirname, '../../wxt.config.ts'), 'utf8');
    const used = [...config.matchAll(/__MSG_(\w+)__/g)].map((m) => m[1]!);
    expect(used.length).toBeGreaterThan(0);
    for (const key of used) expect(read('en'), key).toHaveProperty(key);
  });

  it('translates the description (not a copy of the English one)', () => {
    const en = read('en').extDescription!.message;
    expect(read('de').extDescription!.message).not.toBe(en);
    expect(read('fr').extDescription!.message).not.toBe(en);
  });
});
