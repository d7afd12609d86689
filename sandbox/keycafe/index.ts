/** The sandbox Keycafe API: `startKeycafeSandbox` for tests; `keycafeFake` for `startSandbox`. */
import type { FakeStarter } from '../index.ts';
import { startKeycafeSandbox } from './server.ts';

export { startKeycafeSandbox, type KeycafeSandbox, type KeycafeSandboxOptions } from './server.ts';
export { ControllableClock } from './clock.ts';
export { DEMO_KEYCAFE_EMAIL, DEMO_KEYCAFE_TOKEN } from './data.ts';
export type { KeycafeFaultKind, FaultRule, RandomFaults } from './faults.ts';

/** Registered in sandbox/index.ts: the demo account at real speed, its URL under `keycafeApi`. */
export const keycafeFake: FakeStarter = async ({ host, port }) => {
  const sandbox = await startKeycafeSandbox({ host, port });
  return { name: 'keycafeApi', url: sandbox.url, close: sandbox.close };
};
