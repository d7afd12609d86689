/**
 * `npm start`: the extension and widget builds when their sources changed
 * (scripts/build-if-changed.ts), then the sync API on PGlite with the sandbox fakes, handed to
 * the server explicitly (sandbox/api-deps.ts), and a demo location on first start.
 *
 * Environment: everything server/config.ts reads (PORT, HOST, ACCESSBRIDGE_DATA_DIR, …), plus
 *   ACCESSBRIDGE_SANDBOX=off   do not start the fakes (then this is the production server)
 *   ACCESSBRIDGE_DEMO=off      start the fakes but do not create the demo location
 * The fakes listen on the ports after the API's (8788, 8789, …) so their URLs stay the same
 * from one start to the next.
 */
// First: extends zod with `.openapi()` before any module creates a schema (see
// test/helpers/zod-openapi-first.ts for why the order matters).
import '@hono/zod-openapi';
import { loadConfig } from '../server/config.ts';
import { exitOnStartFailure, printStarted, stopOnSignals } from '../server/console.ts';
import { startServer, type RunningServer } from '../server/serve.ts';
import { buildIfChanged } from '../scripts/build-if-changed.ts';
import { sandboxDeps } from './api-deps.ts';
import { DEMO_LOCATION_NAME, seedDemo } from './demo.ts';
import { startSandbox, type Sandbox } from './index.ts';
import { DEMO_KEYCAFE_EMAIL, DEMO_KEYCAFE_TOKEN } from './keycafe/data.ts';
import { SANDBOX_CLIENT_ID, SANDBOX_CLIENT_SECRET, SANDBOX_OWNER_ID } from './tapkey-api/state.ts';

const env = process.env;

async function main() {
  buildIfChanged();
  const config = loadConfig(env);
  const apiPort = config.port;
  const sandbox: Sandbox | null = env.ACCESSBRIDGE_SANDBOX === 'off' ? null : await startSandbox({ basePort: apiPort > 0 ? apiPort + 1 : undefined });
  let server: RunningServer;
  try {
    server = await startServer({ config, deps: sandbox ? sandboxDeps(sandbox.urls) : undefined });
  } catch (err) {
    await sandbox?.close();
    throw err;
  }
  const demo = server.bootstrap && sandbox && env.ACCESSBRIDGE_DEMO !== 'off' ? await seedDemo(server.url, server.bootstrap.token) : null;
  if (demo) sandbox!.connectApi(server.url, server.bootstrap!.token);

  const lines: string[] = [];
  if (sandbox) {
    for (const [name, url] of Object.entries(sandbox.urls)) lines.push(`  Sandbox:    ${name.padEnd(12)} ${url}`);
    lines.push(`              Tapkey client: ${SANDBOX_CLIENT_ID} / ${SANDBOX_CLIENT_SECRET}, owner account ${SANDBOX_OWNER_ID}`);
    lines.push(`              Keycafe login: ${DEMO_KEYCAFE_EMAIL} / ${DEMO_KEYCAFE_TOKEN}`);
  }
  if (demo) lines.push(`  Demo:       location "${DEMO_LOCATION_NAME}" connected to the sandbox: ${demo.locks} locks imported, ${demo.units} units.`);
  else if (server.bootstrap && sandbox) lines.push('  Demo:       off (ACCESSBRIDGE_DEMO=off): set up a location in the AccessBridge admin page.');
  printStarted(server, lines);
  stopOnSignals(async () => {
    await server.close();
    await sandbox?.close();
  });
}

main().catch(exitOnStartFailure);
