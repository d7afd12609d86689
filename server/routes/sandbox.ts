/**
 * `GET /v1/sandbox`: the sandbox fakes' addresses when the API runs with them (`npm start`).
 * Their ports change on every start; the extension's built-in demo-manager site profile reads
 * the manager's address here so it follows the sandbox.
 */
import { createRoute } from '@hono/zod-openapi';
import { sandboxInfoSchema } from '../../lib/contract.ts';
import { createRouter } from '../router.ts';
import { authErrors, json, openapi } from './openapi.ts';

const info = createRoute({
  method: 'get',
  path: '/v1/sandbox',
  tags: ['Sandbox'],
  summary: 'Addresses of the sandbox fakes (demo manager, Tapkey portal, …) when they run',
  description: '`running: false` and no URLs when the API talks to the real Tapkey and Keycafe.',
  responses: { 200: json(openapi(sandboxInfoSchema, 'SandboxInfo'), 'The sandbox fakes'), ...authErrors },
});

export const sandboxRouter = createRouter().openapi(info, (c) => {
  const urls = c.get('deps').sandboxUrls ?? {};
  return c.json({ running: Object.keys(urls).length > 0, urls }, 200);
});
