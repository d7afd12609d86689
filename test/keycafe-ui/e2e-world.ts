/**
 * What the Keycafe end-to-end tests run against: the sandbox Keycafe at real speed, the real
 * sync API (its own PGlite folder, its outbox worker running) with a location connected to
 * the sandbox's demo account, and a reader of the accesses the sandbox holds, through its
 * own API as an operator would see them.
 */
// serve.ts first: it extends zod for OpenAPI before any schema is created.
import { startServer, type RunningServer } from '../../server/serve.ts';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEMO_KEYCAFE_EMAIL, DEMO_KEYCAFE_TOKEN, startKeycafeSandbox, type KeycafeSandbox } from '../../sandbox/keycafe/index.ts';
import { sandboxDeps } from '../../sandbox/api-deps.ts';

export interface SandboxAccess {
  id: number;
  bookingCode: string;
  status: string;
  ongoing: boolean;
  key: { id: number; name: string | null };
  user: { email: string | null; mobile: string | null };
  accessStartDate: string | null;
  accessStartTime: string | null;
  accessEndDate: string | null;
  accessEndTime: string | null;
  timeZone: string | null;
  name: string | null;
  returnReminder: boolean;
  locale: string;
}

export interface KeycafeE2eWorld {
  apiUrl: string;
  token: string;
  organizationName: string;
  locationId: string;
  keycafe: KeycafeSandbox;
  server: RunningServer;
  json<T = any>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }>;
  /** Live accesses of a key in the sandbox Keycafe (GET /v0/access?key=). */
  accessesOfKey(keyId: string): Promise<SandboxAccess[]>;
  close(): Promise<void>;
}

export async function startKeycafeE2eWorld(): Promise<KeycafeE2eWorld> {
  const keycafe = await startKeycafeSandbox();
  const dataDir = mkdtempSync(join(tmpdir(), 'ab-e2e-keycafe-'));
  let server: RunningServer;
  try {
    server = await startServer({
      env: { ...process.env, PORT: '0', HOST: '127.0.0.1', ACCESSBRIDGE_DATA_DIR: dataDir, DATABASE_URL: '', KEYCAFE_API_URL: '' },
      deps: sandboxDeps({ keycafeApi: keycafe.url }),
    });
  } catch (error) {
    await keycafe.close();
    rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }
  const { token, organizationName } = server.bootstrap!;
  const json = async <T>(method: string, path: string, body?: unknown) => {
    const res = await fetch(server.url + path, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : null) as T };
  };
  const location = await json<{ id: string }>('POST', '/v1/locations', {
    name: 'Berlin Mitte',
    timeZone: 'Europe/Berlin',
    keycafe: { accountEmail: DEMO_KEYCAFE_EMAIL, apiToken: DEMO_KEYCAFE_TOKEN },
  });
  if (location.status !== 201) throw new Error(`could not create the location: ${JSON.stringify(location.body)}`);
  const basic = `Basic ${Buffer.from(`${DEMO_KEYCAFE_EMAIL}/token:${DEMO_KEYCAFE_TOKEN}`).toString('base64')}`;

  return {
    apiUrl: server.url,
    token,
    organizationName,
    locationId: location.body.id,
    keycafe,
    server,
    json,
    async accessesOfKey(keyId) {
      const res = await fetch(new URL(`access?key=${encodeURIComponent(keyId)}`, keycafe.url), { headers: { authorization: basic } });
      if (!res.ok) throw new Error(`sandbox Keycafe answered ${res.status}`);
      return (await res.json()) as SandboxAccess[];
    },
    async close() {
      await server.close();
      await keycafe.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
