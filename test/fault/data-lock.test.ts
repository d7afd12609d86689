/**
 * The data-folder lock is released by the kernel with its process: a SIGKILLed holder never
 * blocks the next start, a recycled pid (an old pid file naming a live process) means nothing,
 * and a live holder is still refused with who it is. Plus the folder's and key file's modes.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { DataDirBusyError, lockDataDir } from '../../server/data-lock.ts';
import { loadSecretKey, SecretKeyError } from '../../server/secrets.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const children: ChildProcess[] = [];
afterEach(() => {
  for (const c of children.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
});

const freshDir = () => join(mkdtempSync(join(tmpdir(), 'ab-lock-')), 'data');

/** A separate process that takes the lock and holds it until killed. */
function holdInChild(dataDir: string, platform: string): Promise<ChildProcess> {
  const script = `import('./server/data-lock.ts').then((m) => m.lockDataDir(${JSON.stringify(dataDir)}, 'the test holder', ${JSON.stringify(platform)})).then(() => { console.log('locked'); setInterval(() => {}, 1000); }, (e) => { console.error(e.message); process.exit(3); });`;
  const child = spawn(process.execPath, ['--import', 'tsx', '-e', script], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      if (out.includes('locked')) resolve(child);
    });
    child.stderr!.on('data', (c: Buffer) => (out += c.toString()));
    child.once('exit', (code) => reject(new Error(`holder exited (${code}): ${out}`)));
  });
}

const killed = (child: ChildProcess) =>
  new Promise<void>((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });

describe.each(['linux', 'darwin'] as const)('data-folder lock (%s variant)', (platform) => {
  it.skipIf(process.platform !== 'linux' && platform === 'linux')('a live holder is refused with its pid and role; right after its SIGKILL the folder is free', async () => {
    const dir = freshDir();
    for (let round = 0; round < 3; round++) {
      const child = await holdInChild(dir, platform);
      const busy = lockDataDir(dir, 'the API server', platform);
      await expect(busy).rejects.toThrow(DataDirBusyError);
      await expect(busy).rejects.toThrow(`in use by the test holder (pid ${child.pid})`);
      await killed(child);
      // At once: no waiting for a timeout, nothing to delete by hand.
      const release = await lockDataDir(dir, 'the API server', platform);
      await release();
    }
  }, 60_000);

  it('the same process cannot take it twice; released, it can be taken again', async () => {
    const dir = freshDir();
    const release = await lockDataDir(dir, 'first', platform);
    await expect(lockDataDir(dir, 'second', platform)).rejects.toThrow(/in use by first \(pid \d+\)/);
    await release();
    const again = await lockDataDir(dir, 'third', platform);
    await again();
  });
});

it('an old pid file naming a live process (a recycled pid) does not block start-up', async () => {
  const dir = freshDir();
  const first = await lockDataDir(dir, 'x');
  await first();
  // What the pid-file lock left after a SIGKILL, with the pid now used by a live process.
  writeFileSync(join(dir, 'pglite.pid'), `${process.pid} the API server\n`);
  const release = await lockDataDir(dir, 'the API server');
  await release();
});

describe('data folder and key file permissions', () => {
  it('creates the data folder 0700 and the key file 0600', () => {
    const dir = freshDir();
    loadSecretKey(dir, {});
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    expect(statSync(join(dir, 'secret.key')).mode & 0o777).toBe(0o600);
  });

  it.each([0o644, 0o640, 0o604, 0o660])('refuses an existing key file with mode %s, saying how to fix it', (mode) => {
    const dir = freshDir();
    loadSecretKey(dir, {});
    const file = join(dir, 'secret.key');
    chmodSync(file, mode);
    expect(() => loadSecretKey(dir, {})).toThrow(SecretKeyError);
    expect(() => loadSecretKey(dir, {})).toThrow(`chmod 600 ${file}`);
    chmodSync(file, 0o600);
    expect(loadSecretKey(dir, {})).toHaveLength(32);
    expect(existsSync(file)).toBe(true);
  });
});
