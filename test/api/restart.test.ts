import { afterEach, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { DataDirBusyError } from '../../server/data-lock.ts';
import { decryptSecret, loadSecretKey } from '../../server/secrets.ts';
import { startServer, type RunningServer } from '../../server/serve.ts';
import { spawnApiProcess, type ApiProcess } from '../helpers/api-process.ts';
import { freshServerEnv, type ServerEnv } from '../helpers/server-env.ts';

const LOCK = 'c0ffee00-1234-4abc-8def-0123456789ab';
const onPostgres = Boolean(process.env.DATABASE_URL);

let cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const fn of cleanups.reverse()) await fn().catch(() => {});
  cleanups = [];
});

async function envFor(): Promise<ServerEnv> {
  const e = await freshServerEnv();
  cleanups.push(() => e.cleanup());
  return e;
}
async function start(env: Record<string, string>): Promise<RunningServer> {
  const server = await startServer({ env });
  cleanups.push(() => server.close());
  return server;
}

function client(url: string, token: string) {
  return async (method: string, path: string, body?: unknown) => {
    const res = await fetch(url + path, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as any };
  };
}

/** Writes one of everything through the API and returns what a reader should see again. */
async function writeWorld(call: ReturnType<typeof client>) {
  const location = await call('POST', '/v1/locations', { name: 'Kept', tapkey: { clientId: 'c', clientSecret: 'kept-secret', ownerAccountId: 'o' } });
  expect(location.status).toBe(201);
  expect((await call('PUT', '/v1/units/K-1', { name: 'Kept unit', locationId: location.body.id })).status).toBe(201);
  await call('POST', '/v1/locks/captured', { locks: [{ id: LOCK, title: 'Kept lock', pageUrl: `https://portal.tapkey.io/locks/${LOCK}` }] });
  expect((await call('PUT', '/v1/units/K-1/mapping', { lockId: LOCK })).status).toBe(201);
  return readWorld(call);
}
async function readWorld(call: ReturnType<typeof client>) {
  return {
    locations: (await call('GET', '/v1/locations')).body,
    units: (await call('GET', '/v1/units')).body,
    locks: (await call('GET', '/v1/locks')).body,
    mappings: (await call('GET', '/v1/mappings')).body,
    audit: (await call('GET', '/v1/audit-events')).body,
  };
}

describe('restart keeps all data', () => {
  it('close and reopen the same database: data, token and secrets survive; the bootstrap token is shown once', async () => {
    const { env, dataDir } = await envFor();
    const first = await start(env);
    expect(first.bootstrap).toMatchObject({ organizationName: 'Demo storage', token: expect.stringMatching(/^ab_/) });
    expect(first.database.kind).toBe(onPostgres ? 'postgres' : 'pglite');
    const token = first.bootstrap!.token;
    const before = await writeWorld(client(first.url, token));
    expect(before.mappings.total).toBe(1);
    await first.close();

    const second = await start(env);
    expect(second.bootstrap).toBeNull();
    const after = await readWorld(client(second.url, token));
    expect(after).toEqual(before);
    expect(after.locations.items[0].tapkey.hasSecret).toBe(true);

    const rows = (await second.database.db.execute(sql`select tapkey_secret_enc from locations`)) as unknown as { rows: { tapkey_secret_enc: string }[] };
    expect(decryptSecret(loadSecretKey(dataDir, {}), rows.rows[0]!.tapkey_secret_enc)).toBe('kept-secret');
  });

  it.skipIf(onPostgres)('refuses a second process on the same embedded database', async () => {
    const { env } = await envFor();
    await start(env);
    await expect(startServer({ env })).rejects.toThrow(DataDirBusyError);
  });

  it('a port already in use is a clear error', async () => {
    const { env } = await envFor();
    const first = await start(env);
    const other = await envFor();
    await expect(startServer({ env: { ...other.env, PORT: String(first.port) } })).rejects.toThrow(/Port \d+ on 127\.0\.0\.1 is already in use/);
  });
});

describe('a real API process', () => {
  it('SIGKILLed, it starts again on its data; SIGTERM stops it cleanly', async () => {
    const { env } = await envFor();
    const first: ApiProcess = await spawnApiProcess(env);
    cleanups.push(() => first.stop('SIGKILL'));
    expect(first.output()).toMatch(/Extension: {2}Chrome: .*\.output\/chrome-mv3/);
    expect(first.token).toMatch(/^ab_/);
    const before = await writeWorld(client(first.url, first.token!));
    expect(await first.stop('SIGKILL')).toBeNull();

    const second = await spawnApiProcess(env);
    cleanups.push(() => second.stop('SIGKILL'));
    expect(second.token).toBeNull();
    expect(second.output()).toMatch(/API token: {2}shown at first start/);
    expect(await readWorld(client(second.url, first.token!))).toEqual(before);
    expect(await second.stop('SIGTERM')).toBe(0);
    expect(second.output()).toMatch(/SIGTERM: stopping/);
  }, 180_000);
});
