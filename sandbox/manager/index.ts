/**
 * Starts the demo manager site on an ephemeral localhost port: unit list, unit pages with a
 * "General" card, booking list and booking pages, seeded from sandbox/demo-data.ts. The
 * built-in site profile for it is `demoManagerProfile(url)` in lib/site-profile/templates.ts.
 */
import { serveFake } from '../shared/serve.ts';
import { createManagerApp, type ManagerAppOptions } from './app.ts';
import { ManagerWorld, type ManagerWorldOptions } from './state.ts';

export { ManagerWorld, HOSTILE_UNIT_ID, HOSTILE_BOOKING_ID, HOSTILE_UNIT_NAME, HOSTILE_TENANT_NAME } from './state.ts';
export { formatDate } from './pages.ts';

export interface ManagerSandboxOptions extends ManagerWorldOptions, ManagerAppOptions {
  host?: string;
  port?: number;
}

export interface ManagerSandbox {
  url: string;
  world: ManagerWorld;
  close(): Promise<void>;
}

export async function startManagerSandbox(opts: ManagerSandboxOptions = {}): Promise<ManagerSandbox> {
  const world = new ManagerWorld(opts);
  const app = createManagerApp(world, opts);
  const served = await serveFake(app, { host: opts.host, port: opts.port });
  return { url: served.url, world, close: served.close };
}
