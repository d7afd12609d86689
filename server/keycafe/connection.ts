/**
 * A location's Keycafe account (email + decrypted API token) and the process's Keycafe
 * service for an AppDeps: AppDeps.keycafe (made at start from the configuration,
 * server/config.ts, or given by the host), else one for the real Keycafe.
 */
import type { AppDeps } from '../env.ts';
import type { LocationRow } from '../resources.ts';
import { decryptSecret } from '../secrets.ts';
import type { KeycafeAccount } from './client-types.ts';
import { KeycafeService } from './service.ts';

const services = new WeakMap<AppDeps, KeycafeService>();

/** One service per AppDeps (one per process in production), so all callers share the buckets. */
export function keycafeServiceOf(deps: AppDeps): KeycafeService {
  if (deps.keycafe) return deps.keycafe;
  let service = services.get(deps);
  if (!service) {
    service = new KeycafeService();
    services.set(deps, service);
  }
  return service;
}

export type KeycafeConnection = { ok: true; account: KeycafeAccount } | { ok: false; reason: 'not_connected' | 'no_token' };

export function keycafeAccountOf(ctx: { secretKey: Buffer }, location: LocationRow): KeycafeConnection {
  if (!location.keycafe) return { ok: false, reason: 'not_connected' };
  if (!location.keycafeToken) return { ok: false, reason: 'no_token' };
  return {
    ok: true,
    account: { email: location.keycafe.accountEmail, token: decryptSecret(ctx.secretKey, location.keycafeToken), authType: location.keycafe.authType ?? 'token' },
  };
}
