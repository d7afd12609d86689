/**
 * `npm start`'s build step (sandbox/dev.ts calls it first, in the same process): builds the Chrome extension and the widget only when their inputs
 * changed since the last build (a hash of the sources, the configs and the lockfile, kept
 * beside the output), so a second `npm start` goes straight to the API.
 * `--force` builds anyway.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const INPUTS = ['entrypoints', 'components', 'lib', 'widget', 'public', 'wxt.config.ts', 'tsconfig.json', 'package-lock.json'];
const BUILDS = [
  { name: 'extension', output: '.output/chrome-mv3/manifest.json', command: ['npx', 'wxt', 'build'] },
  { name: 'widget', output: '.output/widget/accessbridge-widget.js', command: ['npx', 'vite', 'build', '-c', 'widget/vite.config.ts'] },
];
const STAMP = '.output/.sources-hash';

function files(path: string): string[] {
  if (!existsSync(path)) return [];
  if (!statSync(path).isDirectory()) return [path];
  return readdirSync(path)
    .sort()
    .flatMap((name) => files(join(path, name)));
}

function sourcesHash(): string {
  const hash = createHash('sha256');
  for (const file of INPUTS.flatMap(files)) hash.update(file).update('\0').update(readFileSync(file)).update('\0');
  return hash.digest('hex');
}

export function buildIfChanged(force = false) {
  const hash = sourcesHash();
  const upToDate = !force && existsSync(STAMP) && readFileSync(STAMP, 'utf8') === hash && BUILDS.every((b) => existsSync(b.output));
  if (upToDate) {
    process.stdout.write('Extension and widget are up to date (sources unchanged since the last build).\n');
    return;
  }
  for (const build of BUILDS) {
    process.stdout.write(`Building the ${build.name}…\n`);
    execFileSync(build.command[0]!, build.command.slice(1), { stdio: 'inherit' });
  }
  writeFileSync(STAMP, hash);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) buildIfChanged(process.argv.includes('--force'));
