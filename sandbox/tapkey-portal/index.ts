/**
 * The fake Tapkey web portal: a small single-page app (./client.ts) with a lock list and lock
 * detail pages whose URLs carry the lock ID, titled from the shared demo world. The E2E tests
 * serve it as https://my.tapkey.com (host-resolver rule + self-signed certificate) so the
 * extension's content script runs on it exactly as on the real portal.
 */
import { readFileSync } from 'node:fs';
import { Hono } from 'hono';
import { demoLocks, stableUuid, type DemoLock } from '../demo-data.ts';
import { serveFake } from '../shared/serve.ts';

export interface TapkeyPortalOptions {
  port?: number;
  host?: string;
  /** Serve over HTTPS with this key pair (PEM). */
  https?: { key: string | Buffer; cert: string | Buffer };
  locks?: DemoLock[];
  /** How long each page "loads" after navigation before it renders. */
  renderDelayMs?: number;
}

export interface TapkeyPortal {
  url: string;
  ownerId: string;
  locks: DemoLock[];
  /** Path of a lock's detail page, in the portal's main URL shape. */
  lockPath(id: string): string;
  listPath: string;
  close(): Promise<void>;
}

export const DEMO_OWNER_ID = stableUuid('owner:demo');

let clientJs: Promise<string> | undefined;
/**
 * The SPA's TypeScript, transpiled once per process on its first request (types are checked by
 * `tsc` with the rest); the compiler is imported only then, as it takes most of a second to load.
 */
function client(): Promise<string> {
  clientJs ??= import('typescript').then(({ default: ts }) =>
    ts.transpileModule(readFileSync(new URL('./client.ts', import.meta.url), 'utf8'), {
      compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext },
    }).outputText,
  );
  return clientJs;
}

/** JSON inside <script>: `<` escaped so no title can close the element. */
const scriptJson = (value: unknown) => JSON.stringify(value).replace(/</g, '\\u003c');

function page(data: unknown): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Tapkey Portal</title>
<style>
body { font: 15px/1.5 system-ui, sans-serif; margin: 0; color: #222; }
header { background: #1d2b3a; color: #fff; padding: 10px 20px; font-weight: 600; }
main { padding: 16px 20px; }
table { border-collapse: collapse; } td, th { border-bottom: 1px solid #ddd; padding: 4px 12px 4px 0; text-align: left; }
dt { font-weight: 600; } dd { margin: 0 0 6px; }
</style>
</head>
<body>
<header>Tapkey Portal (sandbox)</header>
<div id="app"></div>
<script id="portal-data" type="application/json">${scriptJson(data)}</script>
<script type="module" src="/app.js"></script>
</body>
</html>`;
}

export async function startTapkeyPortal(opts: TapkeyPortalOptions = {}): Promise<TapkeyPortal> {
  const locks = opts.locks ?? demoLocks();
  const data = { ownerId: DEMO_OWNER_ID, ownerName: 'Demo storage', locks, renderDelayMs: opts.renderDelayMs ?? 80 };
  const app = new Hono();
  app.get('/app.js', async (c) => c.body(await client(), 200, { 'content-type': 'text/javascript; charset=utf-8', 'cache-control': 'no-store' }));
  app.get('/favicon.ico', (c) => c.body(null, 404));
  // Every other path is the SPA: it routes on the client, like the real portal.
  app.get('*', (c) => c.html(page(data)));

  const served = await serveFake(app, opts);
  const listPath = `/owners/${DEMO_OWNER_ID}/locks`;
  return {
    url: served.url,
    ownerId: DEMO_OWNER_ID,
    locks,
    listPath,
    lockPath: (id) => `${listPath}/${id}`,
    close: served.close,
  };
}
