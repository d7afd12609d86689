import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { allTables, languages, matchLanguage, translate } from '../../lib/i18n/index.ts';

const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('catalogs', () => {
  const tables = allTables();
  const enKeys = Object.keys(tables.en).sort();

  it.each(languages.filter((l) => l !== 'en'))('%s has every English key, non-empty, with the same placeholders', (lang) => {
    const table = tables[lang] as Record<string, string>;
    expect(Object.keys(table).sort()).toEqual(enKeys);
    for (const key of enKeys) {
      expect(table[key], `${lang}: ${key}`).toBeTruthy();
      expect(placeholders(table[key]!), `${lang}: ${key}`).toEqual(placeholders((tables.en as Record<string, string>)[key]!));
    }
  });

  it('translates with parameters and matches browser languages', () => {
    expect(translate('de', 'common.error.unknown', { message: 'x' })).toBe('Etwas ist schiefgelaufen: x');
    expect(matchLanguage(['fr-CH', 'en'])).toBe('fr');
    expect(matchLanguage(['es-ES'])).toBe('en');
  });
});

/** Every .tsx under the UI folders: visible text must come from the catalogs. */
function uiFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return uiFiles(path);
    return path.endsWith('.tsx') ? [path] : [];
  });
}

const TEXT_ATTRIBUTES = new Set(['aria-label', 'title', 'placeholder', 'alt', 'label', 'aria-description']);

function hardCodedStrings(file: string): string[] {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true, ts.ScriptKind.TSX);
  const found: string[] = [];
  const visit = (node: ts.Node) => {
    if (ts.isJsxText(node) && /\p{L}{2,}/u.test(node.text)) found.push(node.text.trim());
    if (ts.isJsxAttribute(node) && TEXT_ATTRIBUTES.has(node.name.getText()) && node.initializer && ts.isStringLiteral(node.initializer) && /\p{L}{2,}/u.test(node.initializer.text))
      found.push(`${node.name.getText()}="${node.initializer.text}"`);
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

describe('no hard-coded user-facing strings', () => {
  const files = ['components', 'entrypoints', 'widget'].flatMap((d) => {
    try {
      return uiFiles(d);
    } catch {
      return [];
    }
  });
  it.each(files.length ? files : ['(no UI files yet)'])('%s', (file) => {
    if (!file.endsWith('.tsx')) return;
    expect(hardCodedStrings(file)).toEqual([]);
  });

  it('the detector finds a hard-coded string', () => {
    const tmp = join(process.env.TMPDIR ?? '/tmp', 'i18n-probe.tsx');
    writeFileSync(tmp, 'export const X = () => <button aria-label="Close">Save now</button>;');
    expect(hardCodedStrings(tmp).sort()).toEqual(['Save now', 'aria-label="Close"'].sort());
  });
});
