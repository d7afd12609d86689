/**
 * Reading uploaded tables without stalling the server. A small CSV is read on the request thread
 * (milliseconds); a workbook or a large CSV goes to a worker thread (parse-worker.mjs) with its
 * own heap cap and a time limit, so one hostile or huge file costs one bounded worker, never the
 * event loop every organization's requests share. At most `maxParallel` files are read at once
 * (further ones get a 503 with Retry-After, not a queue that grows without bound), and one
 * organization runs one import at a time (429).
 */
import { Worker } from 'node:worker_threads';
import type { FileFormat } from '../../lib/mapping-file.ts';
import { ApiError } from '../errors.ts';
import { readTable, type Table } from './table-read.ts';

export interface ParseLimits {
  /** Files read at once in worker threads (per process). */
  maxParallel: number;
  /** V8 old-generation cap of a worker, in MiB: a file needing more is refused, not the server. */
  heapMb: number;
  /** A worker that has not answered by then is stopped and the file refused. */
  timeoutMs: number;
  /** CSV files up to this size are read on the request thread. */
  inlineCsvBytes: number;
}

export const defaultParseLimits: ParseLimits = { maxParallel: 2, heapMb: 384, timeoutMs: 30_000, inlineCsvBytes: 256 * 1024 };

const RETRY_AFTER_SECONDS = 5;

type Reply = { id: number; table: Table } | { id: number; error: { api: true; code: ApiError['code']; message: string; fieldErrors: ApiError['fieldErrors']; status: ApiError['status'] } | { api: false; message: string } };

interface PooledWorker {
  worker: Worker;
  ready: Promise<void>;
}

/** Counts of what the pool did; tests read them to see where a file was parsed. */
export const parseStats = { inline: 0, worker: 0, refusedBusy: 0 };

export class ParsePool {
  private idle: PooledWorker[] = [];
  private busy = 0;
  private nextId = 1;

  constructor(readonly limits: ParseLimits = defaultParseLimits) {}

  private spawn(): PooledWorker {
    const worker = new Worker(new URL('./parse-worker.mjs', import.meta.url), {
      resourceLimits: { maxOldGenerationSizeMb: this.limits.heapMb },
      stdout: false,
      stderr: false,
    });
    const ready = new Promise<void>((resolve, reject) => {
      const onMessage = (m: { ready?: boolean }) => {
        if (!m.ready) return;
        worker.off('message', onMessage);
        worker.off('error', reject);
        resolve();
      };
      worker.on('message', onMessage);
      worker.once('error', reject);
    });
    // An idle worker must not keep the process alive.
    worker.unref();
    return { worker, ready };
  }

  /** Reads the table on the request thread or in a worker; see the module comment. */
  async read(bytes: Uint8Array, format: FileFormat): Promise<Table> {
    if (format === 'csv' && bytes.length <= this.limits.inlineCsvBytes) {
      parseStats.inline++;
      return readTable(bytes, format);
    }
    if (this.busy >= this.limits.maxParallel) {
      parseStats.refusedBusy++;
      throw new ApiError(
        'unavailable',
        `${this.busy} large files are being read right now, the most this server reads at once. Try again in ${RETRY_AFTER_SECONDS} seconds.`,
        [],
        { retryAfterSeconds: RETRY_AFTER_SECONDS },
      );
    }
    this.busy++;
    parseStats.worker++;
    const pooled = this.idle.pop() ?? this.spawn();
    let reusable = false;
    // Keeps the process alive while a file is being read (an idle worker does not).
    pooled.worker.ref();
    try {
      await pooled.ready;
      const result = await this.run(pooled.worker, bytes, format);
      reusable = true;
      return result;
    } finally {
      this.busy--;
      pooled.worker.unref();
      if (reusable && this.idle.length < this.limits.maxParallel) this.idle.push(pooled);
      else void pooled.worker.terminate();
    }
  }

  private run(worker: Worker, bytes: Uint8Array, format: FileFormat): Promise<Table> {
    const id = this.nextId++;
    return new Promise<Table>((resolve, reject) => {
      const done = () => {
        clearTimeout(timer);
        worker.off('message', onMessage);
        worker.off('error', onError);
        worker.off('exit', onExit);
      };
      const onMessage = (m: Reply) => {
        if (m.id !== id) return;
        done();
        if ('table' in m) resolve(m.table);
        else if (m.error.api) reject(new ApiError(m.error.code, m.error.message, m.error.fieldErrors, undefined, m.error.status));
        else reject(new Error(m.error.message));
      };
      const tooBig = () =>
        new ApiError('payload_too_large', 'The file needs more memory or time to read than an import may use. Save only the two columns, or split it into several files.');
      const onError = (err: NodeJS.ErrnoException) => {
        done();
        reject(err.code === 'ERR_WORKER_OUT_OF_MEMORY' ? tooBig() : err);
      };
      const onExit = () => {
        done();
        reject(tooBig());
      };
      const timer = setTimeout(() => {
        done();
        void worker.terminate();
        reject(tooBig());
      }, this.limits.timeoutMs);
      worker.on('message', onMessage);
      worker.once('error', onError);
      worker.once('exit', onExit);
      // A copy: the caller still needs its bytes (the audit's checksum).
      const copy = bytes.slice().buffer;
      worker.postMessage({ id, bytes: copy, format }, [copy]);
    });
  }

  async close(): Promise<void> {
    const all = this.idle.splice(0);
    await Promise.all(all.map((p) => p.worker.terminate()));
  }
}

/** One import per organization at a time (per process): a second one gets 429. */
export class ImportGate {
  private running = new Set<string>();

  enter(organizationId: string): () => void {
    if (this.running.has(organizationId))
      throw new ApiError('rate_limited', 'An import for your organization is still running. Wait for it to finish, then try again.', [], {
        retryAfterSeconds: RETRY_AFTER_SECONDS,
      });
    this.running.add(organizationId);
    return () => this.running.delete(organizationId);
  }
}

export const parsePool = new ParsePool();
export const importGate = new ImportGate();
