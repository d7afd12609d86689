import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { decryptSecret } from '../../server/secrets.ts';
import { startServer, type RunningServer } from '../../server/serve.ts';
import { freshServerEnv, type ServerEnv } from '../helpers/server-env.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const onPostgres = Boolean(process.env.DATABASE_URL);

let server: ServerEnv;
beforeAll(async () => {
  server = await freshServerEnv();
});
afterAll(() => server?.cleanup());

function admin(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['--import', 'tsx', 'server/admin.ts', ...args], { cwd: root, env: { ...process.env, ...server.env } }, (err, stdout, stderr) =>
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

async function withServer<T>(fn: (s: RunningServer) => Promise<T>): Promise<T> {
  const s = await startServer({ env: server.env, bootstrap: false, worker: false });
  try {
    return await fn(s);
  } finally {
    await s.close();
  }
}

const me = (s: RunningServer, token: string) => fetch(`${s.url}/v1/me`, { headers: { authorization: `Bearer ${token}` } });

describe('admin CLI', () => {
  let orgId: string;
  let token: string;
  let tokenId: string;

  it('create-org, create-token, list-orgs, list-tokens; the token works against the API', async () => {
    const org = await admin('create-org', 'Acme', 'Storage');
    expect(org.code).toBe(0);
    orgId = org.stdout.match(/Created organization "Acme Storage": ([0-9a-f-]{36})/)![1]!;

    const created = await admin('create-token', orgId, 'laptop');
    expect(created.code).toBe(0);
    token = created.stdout.match(/^(ab_\S+)$/m)![1]!;
    tokenId = created.stdout.match(/Created token "laptop" \(([0-9a-f-]{36})\)/)![1]!;

    expect((await admin('list-orgs')).stdout).toContain(`${orgId}  `);
    const tokens = await admin('list-tokens', orgId);
    expect(tokens.stdout).toMatch(new RegExp(`${tokenId}  active .* laptop`));
    expect(tokens.stdout).not.toContain(token);

    await withServer(async (s) => {
      const res = await me(s, token);
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({ organization: { id: orgId, name: 'Acme Storage' }, tokenName: 'laptop' });
    });
  }, 120_000);

  it('revoke-token: the token gets 401; revoking again is an error', async () => {
    const revoked = await admin('revoke-token', tokenId);
    expect(revoked.code).toBe(0);
    expect((await admin('revoke-token', tokenId)).stderr).toMatch(/already revoked/);
    await withServer(async (s) => expect((await me(s, token)).status).toBe(401));
    expect((await admin('list-tokens', orgId)).stdout).toMatch(new RegExp(`${tokenId}  revoked`));
  }, 120_000);

  it('explains usage errors with exit code 2 and other errors with 1', async () => {
    const unknown = await admin('frobnicate');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/Unknown command "frobnicate"[\s\S]*Usage: npm run admin/);
    const badId = await admin('create-token', 'not-a-uuid', 'x');
    expect(badId.code).toBe(2);
    expect(badId.stderr).toContain('<orgId> must be a UUID');
    expect((await admin('create-token', orgId)).stderr).toContain('Missing <name>');
    const noOrg = await admin('list-tokens', '00000000-0000-4000-8000-000000000000');
    expect(noOrg.code).toBe(1);
    expect(noOrg.stderr).toContain('No organization 00000000-0000-4000-8000-000000000000');
  }, 120_000);

  it.skipIf(onPostgres)('refuses to open the embedded database while the API has it open', async () => {
    await withServer(async () => {
      const busy = await admin('list-orgs');
      expect(busy.code).toBe(1);
      expect(busy.stderr).toMatch(/in use by the API server/);
    });
  }, 120_000);

  it('rotate-secret-key re-encrypts provider secrets with a new key file', async () => {
    const created = await admin('create-token', orgId, 'rotation');
    const rotationToken = created.stdout.match(/^(ab_\S+)$/m)![1]!;
    const keyFile = join(server.dataDir, 'secret.key');
    await withServer(async (s) => {
      const res = await fetch(`${s.url}/v1/locations`, {
        method: 'POST',
        headers: { authorization: `Bearer ${rotationToken}`, 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'Rotated', tapkey: { clientId: 'c', clientSecret: 'tk-rotate', ownerAccountId: 'o' }, keycafe: { accountEmail: 'k@example.com', apiToken: 'kc-rotate' } }),
      });
      expect(res.status).toBe(201);
    });
    const oldKey = readFileSync(keyFile, 'utf8');

    const rotated = await admin('rotate-secret-key');
    expect(rotated.code).toBe(0);
    expect(rotated.stdout).toContain('Re-encrypted the secrets of 1 location(s).');
    const newKey = Buffer.from(readFileSync(keyFile, 'utf8').trim(), 'base64');
    expect(newKey.toString('base64')).not.toBe(oldKey.trim());

    await withServer(async (s) => {
      const rows = (await s.database.db.execute(sql`select tapkey_secret_enc, keycafe_token_enc from locations`)) as unknown as { rows: Record<string, string>[] };
      expect(decryptSecret(newKey, rows.rows[0]!.tapkey_secret_enc!)).toBe('tk-rotate');
      expect(decryptSecret(newKey, rows.rows[0]!.keycafe_token_enc!)).toBe('kc-rotate');
      expect(() => decryptSecret(Buffer.from(oldKey.trim(), 'base64'), rows.rows[0]!.tapkey_secret_enc!)).toThrow();
      const loc = await (await fetch(`${s.url}/v1/locations`, { headers: { authorization: `Bearer ${rotationToken}` } })).json();
      expect(loc.items[0].tapkey.hasSecret).toBe(true);
    });
  }, 180_000);
});
