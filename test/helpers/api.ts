/**
 * A real API over real HTTP for a test file: fresh database (PGlite in memory, or a new
 * PostgreSQL database with DATABASE_URL), an organization with a token, and the app served by
 * @hono/node-server on an ephemeral port. Start it once per file (beforeAll) and share it.
 */
import { randomBytes } from 'node:crypto';
import { createApp } from '../../server/app.ts';
import type { AppDeps } from '../../server/env.ts';
import { createApiToken, createOrganization } from '../../server/auth.ts';
import type { Database } from '../../server/db/client.ts';
import { serveFake } from '../../sandbox/shared/serve.ts';
import { freshDatabase } from './db.ts';

export interface JsonResponse<T> {
  status: number;
  body: T;
  headers: Headers;
}

export interface JsonOptions {
  /** Another token; `null` sends no Authorization header. Default: the file's own token. */
  token?: string | null;
  headers?: Record<string, string>;
}

export interface TestApi {
  url: string;
  token: string;
  orgId: string;
  database: Database;
  deps: AppDeps;
  /** fetch against the API with the file's bearer token (unless the init sets Authorization). */
  fetch(path: string, init?: RequestInit): Promise<Response>;
  /** JSON request → parsed JSON answer (body `null` when the answer is empty). */
  json<T = any>(method: string, path: string, body?: unknown, opts?: JsonOptions): Promise<JsonResponse<T>>;
  /** Another organization with its own token, to prove tenant isolation. */
  newOrg(name?: string): Promise<{ orgId: string; token: string }>;
  close(): Promise<void>;
}

export async function startTestApi(opts: { deps?: Partial<AppDeps> } = {}): Promise<TestApi> {
  const database = opts.deps?.database ?? (await freshDatabase());
  const deps: AppDeps = { secretKey: randomBytes(32), corsOrigins: [], version: 'test', ...opts.deps, database };
  const org = await createOrganization(database.db, 'Test storage');
  const { token } = await createApiToken(database.db, org.id, 'test');
  const app = createApp(deps);

  // Served like the fakes: a free port, and close() ends the test's keep-alive sockets too.
  const served = await serveFake(app);
  const url = served.url;

  const doFetch = (path: string, init: RequestInit = {}) => {
    const headers = new Headers(init.headers);
    if (!headers.has('authorization')) headers.set('authorization', `Bearer ${token}`);
    return fetch(url + path, { ...init, headers });
  };

  return {
    url,
    token,
    orgId: org.id,
    database,
    deps,
    fetch: doFetch,
    async json<T>(method: string, path: string, body?: unknown, o: JsonOptions = {}) {
      const headers: Record<string, string> = { ...o.headers };
      const useToken = o.token === undefined ? token : o.token;
      if (useToken !== null) headers.authorization = `Bearer ${useToken}`;
      if (body !== undefined) headers['content-type'] ??= 'application/json';
      const res = await fetch(url + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
      const text = await res.text();
      let parsed: unknown = null;
      if (text) {
        try {
          parsed = JSON.parse(text);
        } catch {
          throw new Error(`${method} ${path} → ${res.status} with a non-JSON body: ${text.slice(0, 200)}`);
        }
      }
      return { status: res.status, body: parsed as T, headers: res.headers };
    },
    async newOrg(name = 'Other storage') {
      const other = await createOrganization(database.db, name);
      return { orgId: other.id, token: (await createApiToken(database.db, other.id, 'other')).token };
    },
    async close() {
      await served.close();
      if (!opts.deps?.database) await database.close();
    },
  };
}
