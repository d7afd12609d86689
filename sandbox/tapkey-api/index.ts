/**
 * Starts the fake Tapkey Web API on an ephemeral localhost port. One server plays both hosts:
 * `tokenUrl` (login.tapkey.com/connect/token) and `apiUrl` (my.tapkey.com/api/v1).
 */
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { createTapkeyApp, type SandboxRuntime } from './app.ts';
import { Calls, Faults } from './faults.ts';
import { TapkeyWorld, type TapkeyWorldOptions } from './state.ts';

export { TapkeyWorld, SANDBOX_CLIENT_ID, SANDBOX_CLIENT_SECRET, SANDBOX_OWNER_ID, ALL_SCOPES, LENIENT_BEHAVIOURS, STRICT_BEHAVIOURS } from './state.ts';
export type { TapkeyBehaviours } from './state.ts';
export type { FaultRule, Endpoint, CallRecord } from './faults.ts';
export { Faults, Calls } from './faults.ts';

export interface TapkeySandboxOptions extends TapkeyWorldOptions {
  host?: string;
  port?: number;
}

export interface TapkeySandbox {
  url: string;
  tokenUrl: string;
  apiUrl: string;
  state: TapkeyWorld;
  faults: Faults;
  calls: Calls;
  close(): Promise<void>;
}

export async function startTapkeySandbox(opts: TapkeySandboxOptions = {}): Promise<TapkeySandbox> {
  const rt: SandboxRuntime = { world: new TapkeyWorld(opts), faults: new Faults(), calls: new Calls(), hung: new Set() };
  const app = createTapkeyApp(rt);
  const host = opts.host ?? '127.0.0.1';
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const s = serve({ fetch: app.fetch, hostname: host, port: opts.port ?? 0 }, () => resolve(s));
  });
  // A dropped connection or a client that gave up must not crash the sandbox.
  server.on('clientError', (_err, socket) => socket.destroy());
  const { port } = server.address() as AddressInfo;
  const url = `http://${host}:${port}`;
  return {
    url,
    tokenUrl: `${url}/connect/token`,
    apiUrl: `${url}/api/v1`,
    state: rt.world,
    faults: rt.faults,
    calls: rt.calls,
    close: async () => {
      for (const release of rt.hung) release();
      rt.hung.clear();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        (server as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
      });
    },
  };
}
