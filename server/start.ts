/**
 * `npm start` (after the extension build): the sync API on PGlite with the sandbox fakes.
 * Also the entry tests spawn for a real API process (`npx tsx server/start.ts`), e.g. to
 * SIGKILL it and start it again on the same data.
 *
 * Environment: everything server/serve.ts reads (PORT, HOST, ACCESSBRIDGE_DATA_DIR,
 * DATABASE_URL, ACCESSBRIDGE_SECRET_KEY, ACCESSBRIDGE_CORS_ORIGINS), plus
 *   ACCESSBRIDGE_SANDBOX=off   do not start the sandbox fakes (default: on)
 *   ACCESSBRIDGE_DEMO=off      start empty: no demo location on first start (default: on with the sandbox)
 * The fakes listen on the ports after the API's (8788, 8789, …) so their URLs stay the same
 * from one start to the next; on first start a demo location is connected to them.
 *
 * Prints `API: <url>` and, on first start only, `API token: <token>`, one per line.
 */
// First: extends zod with `.openapi()` before any module creates a schema (see
// test/helpers/zod-openapi-first.ts for why the order matters).
import '@hono/zod-openapi';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Sandbox } from '../sandbox/index.ts';
import { DEMO_KEYCAFE_EMAIL, DEMO_KEYCAFE_TOKEN } from '../sandbox/keycafe/data.ts';
import { SANDBOX_CLIENT_ID, SANDBOX_CLIENT_SECRET, SANDBOX_OWNER_ID } from '../sandbox/tapkey-api/state.ts';
import { DEMO_LOCATION_NAME, seedDemo } from './demo.ts';
import { startServer, type RunningServer } from './serve.ts';

const env = process.env;
const out = (line = '') => process.stdout.write(line + '\n');

async function main() {
  const sandboxOn = env.ACCESSBRIDGE_SANDBOX !== 'off';
  // Loaded only when used: a process started with the sandbox off starts faster.
  const apiPort = Number(env.PORT ?? 8787);
  const sandbox: Sandbox | null = sandboxOn
    ? await (await import('../sandbox/index.ts')).startSandbox({ basePort: apiPort > 0 ? apiPort + 1 : undefined })
    : null;
  let server: RunningServer;
  try {
    server = await startServer({ env, sandboxUrls: sandbox?.urls });
  } catch (err) {
    await sandbox?.close();
    throw err;
  }

  const chrome = resolve('.output/chrome-mv3');
  const firefox = resolve('.output/firefox-mv2');
  out('AccessBridge sync API');
  out(`  API:        ${server.url}`);
  out(`  Reference:  ${server.url}/docs  (OpenAPI: ${server.url}/openapi.json)`);
  out(`  Database:   ${server.database.kind === 'pglite' ? `PGlite in ${resolve(server.dataDir, 'pglite')}` : 'PostgreSQL (DATABASE_URL)'}`);
  const demoOn = env.ACCESSBRIDGE_DEMO !== 'off';
  const demo = server.bootstrap && sandbox && demoOn ? await seedDemo(server.url, server.bootstrap.token) : null;
  if (demo) sandbox!.connectApi(server.url, server.bootstrap!.token);
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
  if (sandbox) {
    for (const [name, url] of Object.entries(sandbox.urls)) out(`  Sandbox:    ${name.padEnd(12)} ${url}`);
    out(`              Tapkey client: ${SANDBOX_CLIENT_ID} / ${SANDBOX_CLIENT_SECRET}, owner account ${SANDBOX_OWNER_ID}`);
    out(`              Keycafe login: ${DEMO_KEYCAFE_EMAIL} / ${DEMO_KEYCAFE_TOKEN}`);
  }
  if (demo) out(`  Demo:       location "${DEMO_LOCATION_NAME}" connected to the sandbox: ${demo.locks} locks imported, ${demo.units} units.`);
  else if (server.bootstrap && sandbox) out('  Demo:       off (ACCESSBRIDGE_DEMO=off): set up a location in the AccessBridge admin page.');
  out(`  Started in ${Math.round(server.timings.totalMs)} ms (database ${Math.round(server.timings.databaseMs)} ms). Ctrl+C stops.`);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) {
      out(`${signal} again: exiting now.`);
      process.exit(130);
    }
    stopping = true;
    out(`${signal}: stopping…`);
    await server.close();
    await sandbox?.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((err) => {
  process.stderr.write(`Could not start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
