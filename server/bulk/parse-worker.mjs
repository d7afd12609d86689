/**
 * Worker thread that reads uploaded tables (server/bulk/parse-pool.ts): parsing a large XLSX
 * takes seconds of CPU and hundreds of MiB, which must not stall other requests. Plain JS so
 * the thread can start without a loader; it registers tsx (the server runs on it anyway) to
 * load the TypeScript reader, the same code that reads small files on the request thread.
 */
import { parentPort } from 'node:worker_threads';

const { register } = await import('tsx/esm/api');
register();
const { readTable } = await import('./table-read.ts');

parentPort.on('message', async ({ id, bytes, format }) => {
  try {
    const table = await readTable(new Uint8Array(bytes), format);
    parentPort.postMessage({ id, table });
  } catch (err) {
    const e = err ?? {};
    const apiError = e.name === 'ApiError' || (typeof e.code === 'string' && typeof e.status === 'number');
    parentPort.postMessage({
      id,
      error: apiError
        ? { api: true, code: e.code, message: e.message, fieldErrors: e.fieldErrors ?? [], status: e.status }
        : { api: false, message: String(e.message ?? e) },
    });
  }
});
parentPort.postMessage({ ready: true });
