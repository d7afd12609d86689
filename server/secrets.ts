/**
 * Provider secrets (Tapkey client secret, Keycafe API token) are encrypted at rest with
 * AES-256-GCM. The key comes from ACCESSBRIDGE_SECRET_KEY (base64, 32 bytes) or, when that is
 * unset, from `<dataDir>/secret.key`, generated on first use and readable by the owner only.
 * The data folder is created 0700. An existing key file that other users may read or write is
 * refused, not silently fixed: the key may already have been copied, so the operator decides
 * (chmod 600, and rotate the key if others had access).
 */
import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { join } from 'node:path';

const VERSION = 'v1';
const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;

export class SecretKeyError extends Error {}

/** Parses a base64 (or base64url) key and insists on exactly 32 bytes. */
export function parseSecretKey(text: string, source: string): Buffer {
  const trimmed = text.trim();
  if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(trimmed))
    throw new SecretKeyError(`${source} must be base64 (32 random bytes, e.g. \`openssl rand -base64 32\`)`);
  const key = Buffer.from(trimmed, 'base64');
  if (key.length !== KEY_BYTES)
    throw new SecretKeyError(`${source} must decode to ${KEY_BYTES} bytes, got ${key.length} (create one with \`openssl rand -base64 32\`)`);
  return key;
}

export const generateSecretKey = () => randomBytes(KEY_BYTES);

export const secretKeyPath = (dataDir: string) => join(dataDir, 'secret.key');

/**
 * The key for this installation. An explicit env key wins; otherwise the key file is read, or
 * created (mode 0600, exclusive create so two processes starting at once cannot both write one).
 */
export function loadSecretKey(dataDir: string, env: NodeJS.ProcessEnv = process.env): Buffer {
  if (env.ACCESSBRIDGE_SECRET_KEY) return parseSecretKey(env.ACCESSBRIDGE_SECRET_KEY, 'ACCESSBRIDGE_SECRET_KEY');
  const file = secretKeyPath(dataDir);
  if (!existsSync(file)) {
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    try {
      writeFileSync(file, generateSecretKey().toString('base64') + '\n', { mode: 0o600, flag: 'wx' });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
  }
  checkKeyFileMode(file);
  return parseSecretKey(readFileSync(file, 'utf8'), file);
}

/** Refuses a key file that group or others can read or write (POSIX permissions only). */
export function checkKeyFileMode(file: string, platform: NodeJS.Platform = process.platform) {
  if (platform === 'win32') return;
  const mode = statSync(file).mode & 0o777;
  if (mode & 0o077)
    throw new SecretKeyError(
      `${file} can be read or written by other users (mode ${mode.toString(8).padStart(4, '0')}). ` +
        `Run \`chmod 600 ${file}\`; if others may have copied it, rotate it with \`npm run admin -- rotate-secret-key\`.`,
    );
}

/** Replaces the key file (used by `admin rotate-secret-key` after re-encrypting). */
export function writeSecretKeyFile(dataDir: string, key: Buffer) {
  const file = secretKeyPath(dataDir);
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  writeFileSync(file, key.toString('base64') + '\n', { mode: 0o600 });
  chmodSync(file, 0o600);
}

/** `v1:<iv>:<tag>:<ciphertext>` (base64 parts); a fresh IV every time. */
export function encryptSecret(key: Buffer, plaintext: string): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const data = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return [VERSION, iv.toString('base64'), cipher.getAuthTag().toString('base64'), data.toString('base64')].join(':');
}

/** Throws when the value was not made by encryptSecret with this key (wrong key or tampered). */
export function decryptSecret(key: Buffer, enc: string): string {
  const [version, iv, tag, data] = enc.split(':');
  if (version !== VERSION || iv === undefined || tag === undefined || data === undefined)
    throw new SecretKeyError('Not an encrypted secret');
  const ivBuf = Buffer.from(iv, 'base64');
  const tagBuf = Buffer.from(tag, 'base64');
  if (ivBuf.length !== IV_BYTES || tagBuf.length !== TAG_BYTES) throw new SecretKeyError('Not an encrypted secret');
  const decipher = createDecipheriv('aes-256-gcm', key, ivBuf);
  decipher.setAuthTag(tagBuf);
  try {
    return Buffer.concat([decipher.update(Buffer.from(data, 'base64')), decipher.final()]).toString('utf8');
  } catch {
    throw new SecretKeyError('Cannot decrypt secret: wrong secret key or damaged value');
  }
}
