/**
 * What a started API process prints and how it stops: shared by the production entry
 * (server/main.ts) and the sandbox dev entry (sandbox/dev.ts), which adds its own lines.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { RunningServer } from './serve.ts';

const out = (line = '') => process.stdout.write(line + '\n');

/**
 * Prints `API: <url>` and, on first start only, `API token: <token>` (tests and scripts read
 * these lines), then `extra`, then the start time.
 */
export function printStarted(server: RunningServer, extra: string[] = []) {
  const chrome = resolve('.output/chrome-mv3');
  const firefox = resolve('.output/firefox-mv2');
  out('AccessBridge sync API');
  out(`  API:        ${server.url}`);
  out(`  Reference:  ${server.url}/docs  (OpenAPI: ${server.url}/openapi.json)`);
  out(`  Database:   ${server.database.kind === 'pglite' ? `PGlite in ${resolve(server.dataDir, 'pglite')}` : 'PostgreSQL (DATABASE_URL)'}`);
  if (server.bootstrap) {
    out(`  API token:  ${server.bootstrap.token}`);
    out(`              for organization "${server.bootstrap.organizationName}" (${server.bootstrap.organizationId}).`);
    out('              Shown only this once: paste it into the extension options now, or keep it safe.');
  } else {
    out('  API token:  shown at first start. Make another with:');
    out('              npm run admin -- list-orgs   then   npm run admin -- create-token <orgId> <name>');
  }
  out(`  Extension:  Chrome: chrome://extensions → Developer mode → Load unpacked → ${chrome}${existsSync(chrome) ? '' : '  (not built: npm run build:chrome)'}`);
  out(`              Firefox: about:debugging → Load Temporary Add-on → ${firefox}/manifest.json${existsSync(firefox) ? '' : '  (build first: npm run build:firefox)'}`);
  for (const line of extra) out(line);
  out(`  Started in ${Math.round(server.timings.totalMs)} ms (database ${Math.round(server.timings.databaseMs)} ms). Ctrl+C stops.`);
}

/** Stops cleanly on SIGINT/SIGTERM; a second signal exits at once. */
export function stopOnSignals(close: () => Promise<void>) {
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) {
      out(`${signal} again: exiting now.`);
      process.exit(130);
    }
    stopping = true;
    out(`${signal}: stopping…`);
    await close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

export function exitOnStartFailure(err: unknown): never {
  process.stderr.write(`Could not start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
}
