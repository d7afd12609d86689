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
