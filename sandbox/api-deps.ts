/**
 * How an API process uses the sandbox: Tapkey and Keycafe at the fakes' URLs, and the
 * discovery route `GET /v1/sandbox`. The sandbox dev entry (sandbox/dev.ts) and the tests hand
 * these to the server explicitly; the production server (server/main.ts) knows no sandbox.
 *
 * The fakes' ports change on every start; the extension's built-in demo-manager site profile
 * reads the manager's address from the discovery route so it follows the sandbox.
 */
import { createRoute } from '@hono/zod-openapi';
import { sandboxInfoSchema } from '../lib/contract.ts';
import type { AppDeps } from '../server/env.ts';
import { KeycafeService } from '../server/keycafe/service.ts';
import { createRouter } from '../server/router.ts';
import { authErrors, json, openapi } from '../server/routes/openapi.ts';

const info = createRoute({
  method: 'get',
  path: '/v1/sandbox',
  tags: ['Sandbox'],
  summary: 'Addresses of the sandbox fakes (demo manager, Tapkey portal, …)',
  description: 'Served only by the sandbox dev entry (`npm start`); the production server has no such route.',
  responses: { 200: json(openapi(sandboxInfoSchema, 'SandboxInfo'), 'The sandbox fakes'), ...authErrors },
});

export function sandboxRouter(urls: Record<string, string>) {
  return createRouter().openapi(info, (c) => c.json({ running: Object.keys(urls).length > 0, urls }, 200));
}

/** `urls`: the fakes' base URLs by name (see sandbox/index.ts), or the subset a test runs. */
export function sandboxDeps(urls: Record<string, string>): Pick<AppDeps, 'tapkey' | 'keycafe' | 'extraRoutes'> {
  return {
    tapkey: urls.tapkeyApi ? { tokenUrl: `${urls.tapkeyApi}/connect/token`, apiUrl: `${urls.tapkeyApi}/api/v1` } : undefined,
    keycafe: urls.keycafeApi ? new KeycafeService({ apiUrl: urls.keycafeApi }) : undefined,
    extraRoutes: [sandboxRouter(urls)],
  };
}
