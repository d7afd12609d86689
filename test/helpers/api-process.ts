/**
 * The API as a separate OS process (`node --import tsx server/main.ts`), for tests that kill
 * it (SIGKILL) and start it again on the same data. Spawn node directly, not `npx tsx`: a signal
 * sent to npx does not reach the server.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));

export interface ApiProcess {
  url: string;
  /** Only on the first start of a data folder (the bootstrap token). */
  token: string | null;
  child: ChildProcess;
  /** Everything printed so far (stdout + stderr). */
  output(): string;
  /** Sends the signal and waits for the exit code (null when killed by the signal). */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/**
 * Starts the API (`entry`: the production server, or `npm start`'s sandbox dev entry) with
 * `env` (PORT defaults to 0) and resolves once it
 * prints its URL; rejects with the output when it exits first or takes longer than `timeoutMs`.
 */
export function spawnApiProcess(env: Record<string, string | undefined>, timeoutMs = 60_000, entry: 'server/main.ts' | 'sandbox/dev.ts' = 'server/main.ts'): Promise<ApiProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', entry], {
    cwd: root,
    env: { ...process.env, PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`API process did not start within ${timeoutMs} ms:\n${output}`));
    }, timeoutMs);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const url = output.match(/^\s*API:\s+(http\S+)/m)?.[1];
      if (url && /Started in/.test(output)) {
        clearTimeout(timer);
        child.stdout!.off('data', onData);
        child.stdout!.on('data', (c: Buffer) => (output += c.toString()));
        resolve({
          url,
          token: output.match(/^\s*API token:\s+(ab_\S+)/m)?.[1] ?? null,
          child,
          output: () => output,
          stop: (signal = 'SIGTERM') => {
            if (child.exitCode === null && child.signalCode === null) child.kill(signal);
            return exited;
          },
        });
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (c: Buffer) => (output += c.toString()));
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`API process exited (${code}) before it was ready:\n${output}`));
    });
  });
}
