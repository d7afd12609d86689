/**
 * Rules that keep the code's shape (docs/architecture.md): checked on the import statements of
 * every source file, so a violation fails `npm test` with the file and the import.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));

function sourceFiles(dir: string): string[] {
  return readdirSync(join(root, dir)).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(join(root, path)).isDirectory()) return name === 'node_modules' ? [] : sourceFiles(path);
    return /\.(ts|tsx)$/.test(name) ? [path] : [];
  });
}

/** Relative imports of a file (static, dynamic and re-exports), as paths from the root. */
function importsOf(file: string): string[] {
  const text = readFileSync(join(root, file), 'utf8');
  const specs = [...text.matchAll(/(?:\bfrom\s+|\bimport\s*\(\s*|\bimport\s+)['"](\.[^'"]+)['"]/g)].map((m) => m[1]!);
  return specs.map((s) => relative(root, resolve(join(root, dirname(file)), s)).replaceAll('\\', '/'));
}

function violations(dirs: string[], rule: (file: string, target: string) => boolean): string[] {
  return dirs.flatMap(sourceFiles).flatMap((file) => importsOf(file).filter((t) => rule(file, t)).map((t) => `${file} → ${t}`));
}

/** The entrypoint a path belongs to: `entrypoints/popup/…` → `popup`, `entrypoints/x.ts` → `x`. */
const entrypointOf = (path: string) => path.match(/^entrypoints\/([^/]+?)(?:\.tsx?)?(?:\/|$)/)?.[1] ?? null;

describe('architecture', () => {
  it('the server never imports the sandbox (the sandbox hands its URLs to the server: sandbox/api-deps.ts)', () => {
    expect(violations(['server'], (_, target) => target.startsWith('sandbox/'))).toEqual([]);
  });

  it('no entrypoint imports another entrypoint (shared code lives in components/ and lib/)', () => {
    expect(
      violations(['entrypoints'], (file, target) => {
        const to = entrypointOf(target);
        return to !== null && to !== entrypointOf(file);
      }),
    ).toEqual([]);
  });

  it('no server module imports the app module except the process that serves it (types: server/env.ts)', () => {
    expect(violations(['server'], (file, target) => /^server\/app(\.ts)?$/.test(target) && file !== 'server/serve.ts')).toEqual([]);
  });

  it('lib/ and components/ are shared code: they import neither the server, the sandbox nor an entrypoint', () => {
    expect(violations(['lib', 'components'], (_, target) => /^(server|sandbox|entrypoints)\//.test(target))).toEqual([]);
  });
});
