/**
 * The build declares zod's schema builders pure (PURE_ZOD_BUILDERS in wxt.config.ts) so bundles
 * drop the schemas they do not use. A builder missing from that list would quietly keep its
 * schemas (and zod) in every page bundle: every `z.…(` our browser code calls must be listed.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PURE_ZOD_BUILDERS } from '../../wxt.config.ts';

const root = join(import.meta.dirname, '../..');

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return /\.tsx?$/.test(name) ? [path] : [];
  });
}

describe('pure zod builders', () => {
  it('lists every z.… function called in the extension code', () => {
    const called = new Set<string>();
    for (const dir of ['lib', 'components', 'entrypoints'])
      for (const file of sources(join(root, dir)))
        for (const m of readFileSync(file, 'utf8').matchAll(/(?<![\w.$])z\s*\.\s*(\w+)\s*\(/g)) called.add(`z.${m[1]}`);
    expect([...called].filter((name) => !PURE_ZOD_BUILDERS.includes(name))).toEqual([]);
  });
});

/**
 * Modules a page loads at once: the manager content script, the preview script and the portal
 * content script carry no zod (lib/site-profile/page-checks.ts, lib/site-profile/reading-schemas.ts,
 * lib/lock-url.ts). Follows value imports (not `import type`) from the entries and names every
 * module on the way that imports zod.
 */
function zodImporters(entry: string): string[] {
  const seen = new Set<string>();
  const found: string[] = [];
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/^\s*(?:import|export)\s+(?!type\b)(?:[^'";]*?\sfrom\s+)?['"]([^'"]+)['"]/gm)) {
      const spec = m[1]!;
      if (spec === 'zod' || spec === 'zod/mini') found.push(file.slice(root.length + 1));
      else if (spec.startsWith('.')) visit(join(file, '..', spec));
    }
  };
  visit(join(root, entry));
  return found;
}

describe('page code without zod', () => {
  // lib/dates.ts builds its one schema with a pure annotation, so a bundle that uses only its
  // date helpers drops it and zod.
  const allowed = ['lib/dates.ts'];
  it.each(['entrypoints/manager.content/index.tsx', 'entrypoints/manager-preview.ts', 'entrypoints/tapkey.content/index.tsx'])('%s imports no module that imports zod', (entry) => {
    expect(zodImporters(entry).filter((f) => !allowed.includes(f))).toEqual([]);
  });
});
