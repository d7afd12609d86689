import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decryptSecret, encryptSecret, generateSecretKey, loadSecretKey, parseSecretKey, SecretKeyError } from '../../server/secrets.ts';

const tmp = () => mkdtempSync(join(tmpdir(), 'ab-secret-'));

describe('secret encryption', () => {
  it('round-trips, with a fresh IV each time', () => {
    const key = generateSecretKey();
    const a = encryptSecret(key, 'pässwörd ✓');
    const b = encryptSecret(key, 'pässwörd ✓');
    expect(a).not.toBe(b);
    expect(a).not.toContain('pässwörd');
    expect(decryptSecret(key, a)).toBe('pässwörd ✓');
    expect(decryptSecret(key, b)).toBe('pässwörd ✓');
  });

  it('refuses a wrong key and a tampered value', () => {
    const key = generateSecretKey();
    const enc = encryptSecret(key, 'secret');
    expect(() => decryptSecret(generateSecretKey(), enc)).toThrow(/wrong secret key or damaged/);
    const [v, iv, tag, data] = enc.split(':');
    const flipped = Buffer.from(data!, 'base64');
    flipped[0]! ^= 1;
    expect(() => decryptSecret(key, [v, iv, tag, flipped.toString('base64')].join(':'))).toThrow(SecretKeyError);
    expect(() => decryptSecret(key, 'plain text')).toThrow(/Not an encrypted secret/);
  });
});

describe('secret key loading', () => {
  it('uses ACCESSBRIDGE_SECRET_KEY when set, and explains a bad one', () => {
    const key = generateSecretKey();
    const dir = tmp();
    expect(loadSecretKey(dir, { ACCESSBRIDGE_SECRET_KEY: key.toString('base64') }).equals(key)).toBe(true);
    expect(() => loadSecretKey(dir, { ACCESSBRIDGE_SECRET_KEY: 'c2hvcnQ=' })).toThrow(/must decode to 32 bytes, got 5/);
    expect(() => loadSecretKey(dir, { ACCESSBRIDGE_SECRET_KEY: 'not base64!!' })).toThrow(/must be base64/);
    expect(() => readFileSync(join(dir, 'secret.key'))).toThrow();
  });

  it('otherwise creates <dataDir>/secret.key with mode 0600 and reuses it', () => {
    const dir = join(tmp(), 'nested');
    const first = loadSecretKey(dir, {});
    const file = join(dir, 'secret.key');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(loadSecretKey(dir, {}).equals(first)).toBe(true);
    writeFileSync(file, 'garbage');
    expect(() => loadSecretKey(dir, {})).toThrow(/secret\.key must decode to 32 bytes, got 5/);
  });

  it('parses base64url keys too', () => {
    const key = generateSecretKey();
    expect(parseSecretKey(key.toString('base64url'), 'x').equals(key)).toBe(true);
  });
});
