/**
 * Starts the sandbox fakes (Tapkey API and portal, Keycafe API, demo manager) on ephemeral
 * localhost ports. `npm start` uses them when no provider credentials are configured; tests
 * start them too. Each fake registers one starter in `fakes` below.
 */

import { startManagerSandbox } from './manager/index.ts';
import { keycafeFake } from './keycafe/index.ts';
import { startTapkeySandbox } from './tapkey-api/index.ts';
import { startTapkeyPortal } from './tapkey-portal/index.ts';
import { startWidgetDemo } from './widget-demo/index.ts';

export interface SandboxOptions {
  /** Interface to listen on; localhost only by default. */
  host?: string;
  /**
   * Fakes listen on basePort, basePort+1, … in the order of `fakes` (npm start: stable URLs a
   * user can grant once); without it, on ephemeral ports (tests).
   */
  basePort?: number;
}

interface StarterOptions {
  host: string;
  /** 0 = any free port. */
  port: number;
}

export interface StartedFake {
  /** Key in `urls`, e.g. `tapkeyApi`. */
  name: string;
  url: string;
  /** Fakes that call the API themselves (the widget demo page) take its URL and a token here. */
  configure?(apiUrl: string, apiToken: string): void;
  close(): Promise<void>;
}

export type FakeStarter = (opts: StarterOptions) => Promise<StartedFake>;

const fakes: FakeStarter[] = [
  async ({ host, port }) => ({ name: 'tapkeyApi', ...(await startTapkeySandbox({ host, port })) }),
  async ({ host, port }) => ({ name: 'tapkeyPortal', ...(await startTapkeyPortal({ host, port })) }),
  keycafeFake,
  async ({ host, port }) => ({ name: 'manager', ...(await startManagerSandbox({ host, port })) }),
  // Asks for the API URL and token on first visit (it plays the embedding page's own server).
  async ({ host, port }) => ({ name: 'widgetDemo', ...(await startWidgetDemo({ host, port })) }),
];

export interface Sandbox {
  urls: Record<string, string>;
  /** Points the fakes that need the API at it (npm start, once the bootstrap token exists). */
  connectApi(apiUrl: string, apiToken: string): void;
  close(): Promise<void>;
}

export async function startSandbox(opts: SandboxOptions = {}): Promise<Sandbox> {
  const host = opts.host ?? '127.0.0.1';
  const started: StartedFake[] = [];
  try {
    for (const [i, start] of fakes.entries()) started.push(await start({ host, port: opts.basePort ? opts.basePort + i : 0 }));
  } catch (err) {
    await Promise.allSettled(started.map((f) => f.close()));
    throw err;
  }
  return {
    urls: Object.fromEntries(started.map((f) => [f.name, f.url])),
    connectApi: (apiUrl, apiToken) => started.forEach((f) => f.configure?.(apiUrl, apiToken)),
    close: async () => void (await Promise.allSettled(started.map((f) => f.close()))),
  };
}
