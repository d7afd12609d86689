/**
 * Starts the fake Tapkey Web API on an ephemeral localhost port. One server plays both hosts:
 * `tokenUrl` (login.tapkey.com/connect/token) and `apiUrl` (my.tapkey.com/api/v1).
 */
import { serveFake } from '../shared/serve.ts';
import { createTapkeyApp, type SandboxRuntime } from './app.ts';
import { Calls, Faults } from './faults.ts';
import { TapkeyWorld, type TapkeyWorldOptions } from './state.ts';

export { TapkeyWorld, SANDBOX_CLIENT_ID, SANDBOX_CLIENT_SECRET, SANDBOX_OWNER_ID, ALL_SCOPES, LENIENT_BEHAVIOURS, STRICT_BEHAVIOURS } from './state.ts';
export type { TapkeyBehaviours } from './state.ts';
export type { FaultRule, Endpoint, CallRecord, TapkeyFaultKind } from './faults.ts';
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
  const served = await serveFake(createTapkeyApp(rt), { host: opts.host, port: opts.port });
  return {
    url: served.url,
    tokenUrl: `${served.url}/connect/token`,
    apiUrl: `${served.url}/api/v1`,
    state: rt.world,
    faults: rt.faults,
    calls: rt.calls,
    close: async () => {
      for (const release of rt.hung) release();
      rt.hung.clear();
      await served.close();
    },
  };
}
