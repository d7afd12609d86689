/**
 * The production entry (`npm run serve`): the sync API on PGlite or PostgreSQL, talking to the
 * real Tapkey and Keycafe (or to the URLs in TAPKEY_* / KEYCAFE_API_URL). Knows nothing of the
 * sandbox: `npm start` runs sandbox/dev.ts, which adds the fakes and the demo.
 * Tests spawn it too (test/helpers/api-process.ts), e.g. to SIGKILL it and start it again.
 *
 * Environment: read once here into a ServerConfig (server/config.ts lists every variable:
 * PORT, HOST, ACCESSBRIDGE_DATA_DIR, DATABASE_URL, TAPKEY_*, KEYCAFE_*, …).
 */
// First: extends zod with `.openapi()` before any module creates a schema (see
// test/helpers/zod-openapi-first.ts for why the order matters).
import '@hono/zod-openapi';
import { loadConfig } from './config.ts';
import { exitOnStartFailure, printStarted, stopOnSignals } from './console.ts';
import { startServer } from './serve.ts';

async function main() {
  const server = await startServer({ config: loadConfig(process.env) });
  printStarted(server);
  stopOnSignals(() => server.close());
}

main().catch(exitOnStartFailure);
