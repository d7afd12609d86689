/**
 * Opens everything the API needs and serves it: the one function behind `npm start`
 * (sandbox/dev.ts), the production entry (server/main.ts) and tests that need a real API
 * process or a real restart.
 *
 * Configuration: a ServerConfig (server/config.ts) resolved once by the entry, or read here
 * from `env` (tests). Environment (all optional; the provider settings are in server/config.ts):
 *   PORT                       port to listen on (default 8787; 0 = any free port)
 *   HOST                       interface (default 127.0.0.1)
 *   ACCESSBRIDGE_DATA_DIR      data folder (default .data): PGlite files in <dir>/pglite, secret.key
 *   DATABASE_URL               use this PostgreSQL server instead of PGlite
 *   ACCESSBRIDGE_SECRET_KEY    base64 32-byte key for provider secrets (default: <dir>/secret.key)
 *   ACCESSBRIDGE_CORS_ORIGINS  comma-separated origins allowed besides browser extensions
 *   ACCESSBRIDGE_OUTBOX_LEASE_MS  how long a claimed job is held before another process may take it over
 *
 * Several API processes on one PostgreSQL need the same ACCESSBRIDGE_SECRET_KEY. PGlite allows
 * one process per data folder (a pid file enforces it; one left by a killed process is taken over).
 */
// First: extends zod with `.openapi()` before any module creates a schema (see
// test/helpers/zod-openapi-first.ts for why the order matters).
import '@hono/zod-openapi';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { serve, type ServerType } from '@hono/node-server';
import { sql } from 'drizzle-orm';
import { createApp } from './app.ts';
import type { AppDeps } from './env.ts';
import { createApiToken, createOrganization } from './auth.ts';
import { ConfigError, defined, loadConfig, type ServerConfig } from './config.ts';
import { lockDataDir } from './data-lock.ts';
import { openDatabase, type Database } from './db/client.ts';
import { organizations } from './db/schema/index.ts';
import { createJobHandlers } from './jobs.ts';
import { KeycafeService } from './keycafe/service.ts';
import { OutboxWorker } from './outbox/outbox.ts';
import { loadSecretKey } from './secrets.ts';
import { TapkeyScheduler } from './tapkey/scheduler.ts';

export interface ServeOptions {
  /** The configuration the entry resolved (server/config.ts); without it, read from `env`. */
  config?: ServerConfig;
  /** Read when no `config` is given (default: process.env). */
  env?: NodeJS.ProcessEnv;
  /** Create "Demo storage" and a bootstrap token when the database has no organization. */
  bootstrap?: boolean;
  /** Run the outbox worker in this process (default true). */
  worker?: boolean;
  /**
   * Provider URLs and extra areas for the app, given explicitly by the host (the sandbox dev
   * entry points Tapkey and Keycafe at its fakes this way); the configuration decides the rest.
   */
  deps?: Pick<AppDeps, 'tapkey' | 'keycafe' | 'extraRoutes'>;
}

export interface RunningServer {
  url: string;
  port: number;
  dataDir: string;
  database: Database;
  deps: AppDeps;
  /** Set when this start created the first organization: its token is shown this once. */
  bootstrap: { organizationId: string; organizationName: string; token: string } | null;
  /** Milliseconds from the call to listening, and the part spent opening + migrating the database. */
  timings: { totalMs: number; databaseMs: number };
  close(): Promise<void>;
}

export class StartupError extends Error {}

/** The first organization and its token, created once even when several processes start together. */
async function bootstrapOrganization(database: Database) {
  return database.db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(727275)`);
    const [existing] = await tx.select({ id: organizations.id }).from(organizations).limit(1);
    if (existing) return null;
    const org = await createOrganization(tx, 'Demo storage');
    const { token } = await createApiToken(tx, org.id, 'bootstrap');
    return { organizationId: org.id, organizationName: org.name, token };
  });
}

function listen(app: { fetch: (req: Request) => Response | Promise<Response> }, port: number, hostname: string): Promise<ServerType> {
  return new Promise((resolve, reject) => {
    const server = serve({ fetch: app.fetch, port, hostname });
    server.once('listening', () => resolve(server));
    server.once('error', (err: NodeJS.ErrnoException) =>
      reject(err.code === 'EADDRINUSE' ? new StartupError(`Port ${port} on ${hostname} is already in use: stop the other process or set PORT`) : err),
    );
  });
}

export async function startServer(opts: ServeOptions = {}): Promise<RunningServer> {
  const started = performance.now();
  let config: ServerConfig;
  try {
    config = opts.config ?? loadConfig(opts.env ?? process.env);
  } catch (err) {
    throw err instanceof ConfigError ? new StartupError(err.message) : err;
  }
  const { dataDir, port, host, corsOrigins } = config;
  const secretKey = loadSecretKey(dataDir, { ACCESSBRIDGE_SECRET_KEY: config.secretKey });

  const release = config.databaseUrl ? () => {} : await lockDataDir(dataDir, 'the API server');
  const cleanups: (() => Promise<void> | void)[] = [release];
  const cleanup = async () => {
    for (const fn of cleanups.reverse()) await fn();
  };
  try {
    const dbStart = performance.now();
    const database = await openDatabase(config.databaseUrl ? { url: config.databaseUrl } : { dataDir: join(dataDir, 'pglite') });
    cleanups.push(() => database.close());
    const databaseMs = performance.now() - dbStart;

    const bootstrap = opts.bootstrap === false ? null : await bootstrapOrganization(database);
    const deps: AppDeps = {
      database,
      secretKey,
      corsOrigins,
      // The host's explicit provider settings win over the configured ones, field by field.
      tapkey: { ...config.tapkey, ...opts.deps?.tapkey },
      keycafe: opts.deps?.keycafe ?? new KeycafeService(config.keycafe),
      bookings: config.bookings,
      extraRoutes: opts.deps?.extraRoutes,
    };
    if (opts.worker !== false) {
      // A killed process's running jobs are taken over when their lease runs out (default 60 s).
      const worker = new OutboxWorker(database.db, createJobHandlers(deps), defined({ leaseMs: config.outboxLeaseMs, concurrency: config.outboxConcurrency }));
      deps.kickOutbox = () => worker.kick();
      worker.start();
      cleanups.push(() => worker.stop());
      const tapkeyScheduler = new TapkeyScheduler(deps);
      tapkeyScheduler.start();
      cleanups.push(() => tapkeyScheduler.stop());
    }

    const server = await listen(createApp(deps), port, host);
    cleanups.push(
      () =>
        new Promise<void>((resolve) => {
          server.close(() => resolve());
          // Idle keep-alive sockets would hold close() open; requests in flight still finish.
          if ('closeIdleConnections' in server) server.closeIdleConnections();
        }),
    );
    const actualPort = (server.address() as AddressInfo).port;
    let closing: Promise<void> | undefined;
    return {
      url: `http://${host.includes(':') ? `[${host}]` : host}:${actualPort}`,
      port: actualPort,
      dataDir,
      database,
      deps,
      bootstrap,
      timings: { totalMs: performance.now() - started, databaseMs },
      close: () => (closing ??= cleanup()),
    };
  } catch (err) {
    await cleanup();
    throw err;
  }
}
