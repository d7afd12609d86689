/**
 * The real sync API for end-to-end tests, in this process, on its own PGlite data folder: a
 * fresh organization and token per start, and a restart on the same port and data (to show
 * changes queued while it was down landing once it is back).
 */
// serve.ts first: it extends zod for OpenAPI before any schema is created.
import { startServer, type RunningServer, type ServeOptions } from '../../../server/serve.ts';
import { mkdtempSync, rmSync } from 'node:fs';
import { sandboxDeps } from '../../../sandbox/api-deps.ts';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface E2eApi {
  url: string;
  token: string;
  organizationName: string;
  /** JSON request with the token; throws on a non-JSON answer. */
  json<T = any>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }>;
  stop(): Promise<void>;
  /** Starts again on the same port and data after `stop()`. */
  restart(): Promise<void>;
  /** Stops and deletes the data folder. */
  close(): Promise<void>;
}

/**
 * `opts`: e.g. run the outbox worker and point the providers at sandbox fakes by their URLs
 * (keys as in sandbox/index.ts; default: neither).
 */
export async function startE2eApi(opts: Pick<ServeOptions, 'worker'> & { sandboxUrls?: Record<string, string> } = {}): Promise<E2eApi> {
  const dataDir = mkdtempSync(join(tmpdir(), 'ab-e2e-api-'));
  const env = (port: number) => ({ ...process.env, PORT: String(port), HOST: '127.0.0.1', ACCESSBRIDGE_DATA_DIR: dataDir, DATABASE_URL: '' });
  const serve: ServeOptions = { worker: opts.worker ?? false, deps: opts.sandboxUrls ? sandboxDeps(opts.sandboxUrls) : undefined };
  let server: RunningServer | null = await startServer({ env: env(0), ...serve });
  const { port, url } = server;
  const { token, organizationName } = server.bootstrap!;

  const api: E2eApi = {
    url,
    token,
    organizationName,
    async json(method, path, body) {
      const res = await fetch(url + path, {
        method,
        headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await res.text();
      return { status: res.status, body: text ? JSON.parse(text) : null };
    },
    async stop() {
      await server?.close();
      server = null;
    },
    async restart() {
      if (server) throw new Error('The API is still running');
      server = await startServer({ env: env(port), ...serve });
    },
    async close() {
      await api.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
  return api;
}
