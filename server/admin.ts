/**
 * Admin CLI: `npm run admin -- <command>`. Uses the same database as the API
 * (ACCESSBRIDGE_DATA_DIR, default .data, or DATABASE_URL). With the embedded database (PGlite)
 * stop the API first: only one process may open it.
 */
import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { eq, isNotNull, or } from 'drizzle-orm';
import { createApiToken, createOrganization, listApiTokens, listOrganizations, revokeApiToken } from './auth.ts';
import { recordAudit } from './audit.ts';
import { lockDataDir } from './data-lock.ts';
import { openDatabase, type Database } from './db/client.ts';
import { apiTokens, locations, organizations } from './db/schema/index.ts';
import { decryptSecret, encryptSecret, generateSecretKey, loadSecretKey, parseSecretKey, secretKeyPath } from './secrets.ts';

const usage = `Usage: npm run admin -- <command>

Commands:
  create-org <name>               create an organization, print its id
  create-token <orgId> <name>     create an API token (shown once)
  list-orgs                       organizations with their ids
  list-tokens <orgId>             tokens of an organization (never the token itself)
  revoke-token <tokenId>          revoke a token at once
  rotate-secret-key               re-encrypt provider secrets with a new key
                                  (stop every API process first: they keep the old key in memory)

Environment: ACCESSBRIDGE_DATA_DIR (default .data), DATABASE_URL, ACCESSBRIDGE_SECRET_KEY.`;

class UsageError extends Error {}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
function uuidArg(value: string | undefined, what: string): string {
  if (!value) throw new UsageError(`Missing <${what}>`);
  if (!UUID.test(value)) throw new UsageError(`<${what}> must be a UUID, got "${value}"`);
  return value.toLowerCase();
}
function textArg(value: string | undefined, what: string): string {
  if (!value?.trim()) throw new UsageError(`Missing <${what}>`);
  return value.trim();
}

const env = process.env;
const dataDir = env.ACCESSBRIDGE_DATA_DIR || '.data';
const out = (line = '') => process.stdout.write(line + '\n');
const fmt = (d: Date | null) => (d ? d.toISOString() : '-');

async function withDatabase<T>(fn: (database: Database) => Promise<T>): Promise<T> {
  const release = env.DATABASE_URL ? async () => {} : await lockDataDir(dataDir, 'the admin CLI');
  try {
    const database = await openDatabase(env.DATABASE_URL ? { url: env.DATABASE_URL } : { dataDir: join(dataDir, 'pglite') });
    try {
      return await fn(database);
    } finally {
      await database.close();
    }
  } finally {
    await release();
  }
}

async function requireOrg(database: Database, orgId: string) {
  const [org] = await database.db.select().from(organizations).where(eq(organizations.id, orgId));
  if (!org) throw new Error(`No organization ${orgId} (see: npm run admin -- list-orgs)`);
  return org;
}

/**
 * Re-encrypts every stored provider secret with a new key in one transaction. The new key is
 * written to `secret.key.new` before the transaction and renamed over `secret.key` after it, so
 * a crash in between leaves a key that decrypts the database; the next run finishes the swap.
 */
async function rotateSecretKey(database: Database) {
  const fromEnv = Boolean(env.ACCESSBRIDGE_SECRET_KEY);
  const oldKey = loadSecretKey(dataDir, env);
  const pending = secretKeyPath(dataDir) + '.new';
  const rows = await database.db
    .select({ id: locations.id, organizationId: locations.organizationId, tapkeySecret: locations.tapkeySecret, keycafeToken: locations.keycafeToken })
    .from(locations)
    .where(or(isNotNull(locations.tapkeySecret), isNotNull(locations.keycafeToken)));

  if (!fromEnv && existsSync(pending)) {
    const newKey = parseSecretKey(readFileSync(pending, 'utf8'), pending);
    const sample = rows[0]?.tapkeySecret ?? rows[0]?.keycafeToken;
    const newKeyWorks = sample !== undefined && sample !== null && (() => {
      try {
        decryptSecret(newKey, sample);
        return true;
      } catch {
        return false;
      }
    })();
    if (newKeyWorks) {
      renameSync(pending, secretKeyPath(dataDir));
      out('Finished an interrupted rotation: the secrets were already re-encrypted; secret.key now holds the new key.');
      return;
    }
    rmSync(pending);
  }

  const undecryptable: string[] = [];
  const plain = rows.map((r) => {
    const dec = (v: string | null) => {
      if (v === null) return null;
      try {
        return decryptSecret(oldKey, v);
      } catch {
        undecryptable.push(r.id);
        return null;
      }
    };
    return { ...r, tapkey: dec(r.tapkeySecret), keycafe: dec(r.keycafeToken) };
  });
  if (undecryptable.length)
    throw new Error(`The current key cannot decrypt the secrets of location(s) ${[...new Set(undecryptable)].join(', ')}; nothing was changed.`);

  const newKey = generateSecretKey();
  if (!fromEnv) writeFileSync(pending, newKey.toString('base64') + '\n', { mode: 0o600 });
  await database.db.transaction(async (tx) => {
    for (const r of plain) {
      await tx
        .update(locations)
        .set({
          tapkeySecret: r.tapkey === null ? null : encryptSecret(newKey, r.tapkey),
          keycafeToken: r.keycafe === null ? null : encryptSecret(newKey, r.keycafe),
        })
        .where(eq(locations.id, r.id));
      await recordAudit(tx, { organizationId: r.organizationId, actor: 'admin-cli', action: 'location.secrets_reencrypted', entity: 'location', entityId: r.id });
    }
  });
  out(`Re-encrypted the secrets of ${plain.length} location(s).`);
  if (fromEnv) {
    out('ACCESSBRIDGE_SECRET_KEY is set, so the new key is not stored anywhere. Set it before the next start:');
    out(`ACCESSBRIDGE_SECRET_KEY=${newKey.toString('base64')}`);
  } else {
    renameSync(pending, secretKeyPath(dataDir));
    out(`New key written to ${secretKeyPath(dataDir)} (mode 0600).`);
  }
}

async function run(argv: string[]) {
  const [command, ...args] = argv;
  switch (command) {
    case 'create-org': {
      const name = textArg(args.join(' '), 'name');
      const org = await withDatabase((d) => createOrganization(d.db, name));
      out(`Created organization "${org.name}": ${org.id}`);
      out(`Next: npm run admin -- create-token ${org.id} <token name>`);
      return;
    }
    case 'create-token': {
      const orgId = uuidArg(args[0], 'orgId');
      const name = textArg(args.slice(1).join(' '), 'name');
      const { id, token } = await withDatabase(async (d) => {
        await requireOrg(d, orgId);
        return createApiToken(d.db, orgId, name);
      });
      out(`Created token "${name}" (${id}). It is shown only this once:`);
      out(token);
      return;
    }
    case 'list-orgs': {
      const orgs = await withDatabase((d) => listOrganizations(d.db));
      if (!orgs.length) out('No organizations yet: npm run admin -- create-org <name>');
      for (const o of orgs) out(`${o.id}  ${fmt(o.createdAt)}  ${o.name}`);
      return;
    }
    case 'list-tokens': {
      const orgId = uuidArg(args[0], 'orgId');
      const tokens = await withDatabase(async (d) => {
        await requireOrg(d, orgId);
        return listApiTokens(d.db, orgId);
      });
      if (!tokens.length) out('No tokens.');
      for (const t of tokens)
        out(`${t.id}  ${t.revokedAt ? 'revoked' : 'active '}  created ${fmt(t.createdAt)}  last used ${fmt(t.lastUsedAt)}  ${t.name}`);
      return;
    }
    case 'revoke-token': {
      const tokenId = uuidArg(args[0], 'tokenId');
      await withDatabase(async (d) => {
        const [token] = await d.db.select({ revokedAt: apiTokens.revokedAt }).from(apiTokens).where(eq(apiTokens.id, tokenId));
        if (!token) throw new Error(`No token ${tokenId} (see: npm run admin -- list-tokens <orgId>)`);
        if (!(await revokeApiToken(d.db, tokenId))) throw new Error(`Token ${tokenId} was already revoked at ${fmt(token.revokedAt)}`);
      });
      out(`Revoked token ${tokenId}. Requests with it now get 401.`);
      return;
    }
    case 'rotate-secret-key':
      await withDatabase(rotateSecretKey);
      return;
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      out(usage);
      return;
    default:
      throw new UsageError(`Unknown command "${command}"`);
  }
}

run(process.argv.slice(2)).then(
  () => process.exit(0),
  (err) => {
    process.stderr.write(`Error: ${err instanceof Error ? err.message : String(err)}\n`);
    if (err instanceof UsageError) process.stderr.write(`\n${usage}\n`);
    process.exit(err instanceof UsageError ? 2 : 1);
  },
);
