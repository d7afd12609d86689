/**
 * `npm run worker`: a process that only runs outbox jobs and the Tapkey move-in scheduler —
 * the same code as the API process's worker (server/serve.ts), without HTTP. On PostgreSQL,
 * start as many as the load needs beside the API processes: claims use SKIP LOCKED, each job is
 * fenced on its lease and Tapkey contacts on their leases (server/tapkey/leases.ts), so the
 * processes share the queue without running a job twice. PGlite allows one process per data
 * folder: there the API process runs the jobs itself and this entry refuses to start.
 *
 * Environment: the API's (server/config.ts): DATABASE_URL (required), ACCESSBRIDGE_SECRET_KEY (the
 * API's, to read provider secrets), TAPKEY_* / KEYCAFE_*, ACCESSBRIDGE_OUTBOX_LEASE_MS, and
 * ACCESSBRIDGE_OUTBOX_CONCURRENCY (jobs at once in this process; 16 here, 8 in the API process).
 */
// First: extends zod with `.openapi()` before any module creates a schema (see
// test/helpers/zod-openapi-first.ts for why the order matters).
import '@hono/zod-openapi';
import { exitOnStartFailure, stopOnSignals } from './console.ts';
import { openDatabase } from './db/client.ts';
import type { AppDeps } from './env.ts';
import { defined, loadConfig } from './config.ts';
import { createJobHandlers } from './jobs.ts';
import { KeycafeService } from './keycafe/service.ts';
import { OutboxWorker } from './outbox/outbox.ts';
import { loadSecretKey } from './secrets.ts';
import { TapkeyScheduler } from './tapkey/scheduler.ts';

export const DEFAULT_WORKER_CONCURRENCY = 16;

export async function startWorker(env: NodeJS.ProcessEnv = process.env) {
  const config = loadConfig(env);
  if (!config.databaseUrl)
    throw new Error('npm run worker needs DATABASE_URL (PostgreSQL): on PGlite the API process runs the jobs itself (one process per data folder)');
  const secretKey = loadSecretKey(config.dataDir, { ACCESSBRIDGE_SECRET_KEY: config.secretKey });
  const database = await openDatabase({ url: config.databaseUrl });
  // The same provider settings as the API process (server/serve.ts), so both call the same services.
  const deps: AppDeps = { database, secretKey, tapkey: config.tapkey, keycafe: new KeycafeService(config.keycafe), bookings: config.bookings };
  const worker = new OutboxWorker(database.db, createJobHandlers(deps), {
    concurrency: config.outboxConcurrency ?? DEFAULT_WORKER_CONCURRENCY,
    ...defined({ leaseMs: config.outboxLeaseMs }),
  });
  deps.kickOutbox = () => worker.kick();
  const scheduler = new TapkeyScheduler(deps);
  worker.start();
  scheduler.start();
  return {
    async close() {
      await scheduler.stop();
      await worker.stop();
      await database.close();
    },
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  startWorker()
    .then((w) => {
      console.log('AccessBridge worker: running outbox jobs (Ctrl+C to stop)');
      stopOnSignals(() => w.close());
    })
    .catch(exitOnStartFailure);
}
